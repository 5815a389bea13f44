-- AlterTable
ALTER TABLE "Organization" ADD COLUMN     "homeAssistant" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "homeAssistantPrefix" TEXT NOT NULL DEFAULT 'homeassistant';
