-- CreateEnum
CREATE TYPE "ThresholdSource" AS ENUM ('service', 'meter_rules', 'adapter');

-- AlterTable
ALTER TABLE "Reading" ADD COLUMN     "minConfidence" DOUBLE PRECISION,
ADD COLUMN     "minConfidenceFrom" "ThresholdSource";

-- AlterTable
ALTER TABLE "MeterAdapter" ADD COLUMN     "minConfidence" DOUBLE PRECISION,
ADD COLUMN     "threshold" JSONB;
