-- AlterTable
ALTER TABLE "Alarm" ADD COLUMN     "announced" "AlarmStatus";

-- Alarms that exist were announced as they changed.
UPDATE "Alarm" SET "announced" = "status";
