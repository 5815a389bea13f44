-- AlterEnum
ALTER TYPE "CaptureSource" ADD VALUE 'mqtt';

-- AlterTable
ALTER TABLE "Device" ADD COLUMN     "mqttUsername" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Device_mqttUsername_key" ON "Device"("mqttUsername");
