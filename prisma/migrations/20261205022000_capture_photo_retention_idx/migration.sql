-- Photo retention walks the oldest photos of each meter that are still on disk at a final state (docs/operations.md,
-- Photo retention). This index holds just those, so captures whose photo is gone (their rows stay) are not read
-- again on every batch and every day.
CREATE INDEX "Capture_photo_retention_idx" ON "Capture" ("meterId", "takenAt") WHERE "photoDeletedAt" IS NULL AND "status" IN ('recognized', 'failed');
