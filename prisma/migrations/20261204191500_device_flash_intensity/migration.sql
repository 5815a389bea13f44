-- AlterTable
ALTER TABLE "Device" ADD COLUMN     "flashIntensity" INTEGER;
