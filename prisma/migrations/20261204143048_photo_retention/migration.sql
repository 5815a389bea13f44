-- AlterTable
ALTER TABLE "Organization" ADD COLUMN     "photoRetentionDays" INTEGER;

-- AlterTable
ALTER TABLE "Capture" ADD COLUMN     "photoDeletedAt" TIMESTAMP(3);
