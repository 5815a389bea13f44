-- AlterTable
ALTER TABLE "Device" ADD COLUMN     "readingUrl" TEXT;

-- AlterTable
ALTER TABLE "Capture" ADD COLUMN     "deviceReading" JSONB;
