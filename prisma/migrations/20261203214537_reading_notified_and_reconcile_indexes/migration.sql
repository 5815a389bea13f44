-- AlterTable
ALTER TABLE "Reading" ADD COLUMN     "notifiedAt" TIMESTAMP(3);

-- Readings stored before notify recorded this were notified (or are in Redis now): only new ones are driven on.
UPDATE "Reading" SET "notifiedAt" = "createdAt";

-- The reconciler queries (docs/operations.md) look at unfinished rows only, and these indexes hold just those.
CREATE INDEX "Reading_unnotified_idx" ON "Reading" ("createdAt", "id") WHERE "notifiedAt" IS NULL;
CREATE INDEX "Capture_unfinished_idx" ON "Capture" ("receivedAt", "id") WHERE "status" IN ('received', 'preprocessed');
CREATE INDEX "Notification_pending_idx" ON "Notification" ("createdAt", "id") WHERE "status" = 'pending';
CREATE INDEX "ActuationCommand_unfinished_idx" ON "ActuationCommand" ("createdAt", "id") WHERE "status" IN ('pending', 'sent');
