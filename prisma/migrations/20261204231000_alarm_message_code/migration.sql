-- A built-in rule's alarm text as a code and params, worded per reader (null: the message as stored).
ALTER TABLE "Alarm" ADD COLUMN "messageCode" TEXT;
ALTER TABLE "Alarm" ADD COLUMN "messageParams" JSONB;
