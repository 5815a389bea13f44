-- CreateEnum
CREATE TYPE "MeterTrust" AS ENUM ('learning', 'trusted');

-- CreateEnum
CREATE TYPE "AdapterStatus" AS ENUM ('promoted', 'rejected', 'retired');

-- AlterTable
ALTER TABLE "Meter" ADD COLUMN     "trust" "MeterTrust" NOT NULL DEFAULT 'trusted',
ADD COLUMN     "trustFigures" JSONB;

-- AlterTable
ALTER TABLE "Reading" ADD COLUMN     "adapterId" TEXT;

-- CreateTable
CREATE TABLE "MeterAdapter" (
    "id" TEXT NOT NULL,
    "meterId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "baseVersion" TEXT NOT NULL,
    "storagePrefix" TEXT NOT NULL,
    "labelCount" INTEGER NOT NULL,
    "heldBack" JSONB NOT NULL,
    "status" "AdapterStatus" NOT NULL,
    "reason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "promotedAt" TIMESTAMP(3),
    "retiredAt" TIMESTAMP(3),

    CONSTRAINT "MeterAdapter_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "MeterAdapter_meterId_kind_status_idx" ON "MeterAdapter"("meterId", "kind", "status");

-- AddForeignKey
ALTER TABLE "Reading" ADD CONSTRAINT "Reading_adapterId_fkey" FOREIGN KEY ("adapterId") REFERENCES "MeterAdapter"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MeterAdapter" ADD CONSTRAINT "MeterAdapter_meterId_fkey" FOREIGN KEY ("meterId") REFERENCES "Meter"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- At most one promoted adapter per meter and kind: two replicas promoting at once must not both win.
CREATE UNIQUE INDEX "MeterAdapter_one_promoted" ON "MeterAdapter"("meterId", "kind") WHERE "status" = 'promoted';
