-- AlterTable
ALTER TABLE "Organization" ADD COLUMN     "deviceNetworks" TEXT[] DEFAULT ARRAY[]::TEXT[];
