-- AlterTable
ALTER TABLE "Organization" ADD COLUMN     "readingRetentionDays" INTEGER;

-- CreateTable
CREATE TABLE "ReadingHourly" (
    "meterId" TEXT NOT NULL,
    "hour" TIMESTAMP(3) NOT NULL,
    "readings" INTEGER NOT NULL,
    "accepted" INTEGER NOT NULL,
    "corrected" INTEGER NOT NULL,
    "needsReview" INTEGER NOT NULL,
    "rejected" INTEGER NOT NULL,
    "consumption" DECIMAL(20,6) NOT NULL,
    "energy" DECIMAL(20,6) NOT NULL,
    "counter" DECIMAL(20,6),
    "counterCaptureId" TEXT,
    "counterTakenAt" TIMESTAMP(3),
    "lastCaptureId" TEXT,
    "lastTakenAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ReadingHourly_pkey" PRIMARY KEY ("meterId","hour")
);

-- AddForeignKey
ALTER TABLE "ReadingHourly" ADD CONSTRAINT "ReadingHourly_meterId_fkey" FOREIGN KEY ("meterId") REFERENCES "Meter"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Prisma's migrate (driver adapter) splits a script at every semicolon, so the functions below hold none:
-- SQL functions of one statement, and the trigger's PL/pgSQL body as an E'' string with \073 for each semicolon.

-- The roll-up of one meter's readings in [from_at, to_at), one row per UTC hour: the single definition
-- the trigger, the backfill below and the bench use.
CREATE FUNCTION reading_hourly_compute(meter_id TEXT, from_at TIMESTAMP(3), to_at TIMESTAMP(3))
RETURNS SETOF "ReadingHourly" LANGUAGE sql STABLE AS $$
  SELECT r."meterId", date_trunc('hour', r."takenAt")::timestamp(3),
         count(*)::int,
         (count(*) FILTER (WHERE r.status = 'accepted'))::int,
         (count(*) FILTER (WHERE r.status = 'corrected'))::int,
         (count(*) FILTER (WHERE r.status = 'needs_review'))::int,
         (count(*) FILTER (WHERE r.status = 'rejected'))::int,
         COALESCE(sum(r.consumption) FILTER (WHERE r.status IN ('accepted', 'corrected')), 0),
         COALESCE(sum(r.energy) FILTER (WHERE r.status IN ('accepted', 'corrected')), 0),
         (array_agg(r.numeric ORDER BY r."takenAt" DESC)
            FILTER (WHERE r.status IN ('accepted', 'corrected') AND r.numeric IS NOT NULL))[1],
         (array_agg(r."captureId" ORDER BY r."takenAt" DESC)
            FILTER (WHERE r.status IN ('accepted', 'corrected') AND r.numeric IS NOT NULL))[1],
         max(r."takenAt") FILTER (WHERE r.status IN ('accepted', 'corrected') AND r.numeric IS NOT NULL),
         (array_agg(r."captureId" ORDER BY r."takenAt" DESC))[1],
         max(r."takenAt")
  FROM "Reading" r
  WHERE r."meterId" = meter_id AND r."takenAt" >= from_at AND r."takenAt" < to_at
  GROUP BY r."meterId", date_trunc('hour', r."takenAt")
$$;

-- Serializes the writers of these meters until the transaction ends: a transaction-scoped advisory lock
-- per meter (not per hour, so a bulk write stays within the lock table), taken in a fixed order.
CREATE FUNCTION reading_hourly_lock(meter_ids TEXT[]) RETURNS void LANGUAGE sql AS $$
  SELECT FROM (
    SELECT count(pg_advisory_xact_lock(hashtextextended('reading_hourly:' || m, 0)))
    FROM (SELECT DISTINCT m FROM unnest(meter_ids) AS u(m) ORDER BY m) s
  ) locked
$$;

-- Recomputes the given meter-hours from the raw rows: an hour without readings loses its row.
CREATE FUNCTION reading_hourly_refresh(meter_ids TEXT[], hours TIMESTAMP(3)[]) RETURNS void LANGUAGE sql AS $$
  WITH keys AS (SELECT DISTINCT m, h FROM unnest(meter_ids, hours) AS u(m, h)),
  fresh AS (
    SELECT c.* FROM keys, LATERAL reading_hourly_compute(keys.m, keys.h, (keys.h + interval '1 hour')::timestamp(3)) c
  ),
  gone AS (
    DELETE FROM "ReadingHourly" d USING keys
    WHERE d."meterId" = keys.m AND d.hour = keys.h
      AND NOT EXISTS (SELECT 1 FROM fresh f WHERE f."meterId" = keys.m AND f.hour = keys.h)
  )
  INSERT INTO "ReadingHourly" SELECT * FROM fresh
  ON CONFLICT ("meterId", hour) DO UPDATE SET
    readings = EXCLUDED.readings, accepted = EXCLUDED.accepted, corrected = EXCLUDED.corrected,
    "needsReview" = EXCLUDED."needsReview", rejected = EXCLUDED.rejected,
    consumption = EXCLUDED.consumption, energy = EXCLUDED.energy, counter = EXCLUDED.counter,
    "counterCaptureId" = EXCLUDED."counterCaptureId", "counterTakenAt" = EXCLUDED."counterTakenAt",
    "lastCaptureId" = EXCLUDED."lastCaptureId", "lastTakenAt" = EXCLUDED."lastTakenAt"
$$;

-- Statement triggers with transition tables: one refresh per statement, however many rows it wrote. The
-- lock is its own statement so that the refresh after it (read committed: a fresh snapshot) sees the
-- rows the previous holder committed. Reading retention sets metertwin.keep_rollups = 'on' in its
-- transaction so its deletes keep the roll-ups. An update refreshes only when a column the roll-up
-- reads changed (notify's marks do not).
CREATE FUNCTION reading_hourly_on_change() RETURNS trigger LANGUAGE plpgsql AS E'
DECLARE
  meter_ids TEXT[]\073
  hours TIMESTAMP(3)[]\073
BEGIN
  IF TG_OP = ''DELETE'' AND current_setting(''metertwin.keep_rollups'', true) = ''on'' THEN
    RETURN NULL\073
  END IF\073
  IF TG_OP = ''INSERT'' THEN
    SELECT array_agg("meterId"), array_agg(date_trunc(''hour'', "takenAt")) INTO meter_ids, hours FROM new_rows\073
  ELSIF TG_OP = ''DELETE'' THEN
    SELECT array_agg("meterId"), array_agg(date_trunc(''hour'', "takenAt")) INTO meter_ids, hours FROM old_rows\073
  ELSE
    SELECT array_agg(k."meterId"), array_agg(date_trunc(''hour'', k."takenAt")) INTO meter_ids, hours
    FROM old_rows o JOIN new_rows n ON n.id = o.id,
         LATERAL (VALUES (o."meterId", o."takenAt"), (n."meterId", n."takenAt")) AS k("meterId", "takenAt")
    WHERE (o."meterId", o."takenAt", o.status, o.numeric, o.consumption, o.energy, o."captureId")
          IS DISTINCT FROM (n."meterId", n."takenAt", n.status, n.numeric, n.consumption, n.energy, n."captureId")\073
  END IF\073
  IF meter_ids IS NOT NULL THEN
    PERFORM reading_hourly_lock(meter_ids)\073
    PERFORM reading_hourly_refresh(meter_ids, hours)\073
  END IF\073
  RETURN NULL\073
END';

CREATE TRIGGER reading_hourly_insert AFTER INSERT ON "Reading"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION reading_hourly_on_change();
CREATE TRIGGER reading_hourly_update AFTER UPDATE ON "Reading"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION reading_hourly_on_change();
CREATE TRIGGER reading_hourly_delete AFTER DELETE ON "Reading"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION reading_hourly_on_change();

-- Backfill of the readings stored before this migration, meter by meter (no lock needed: the migration
-- runs before the services that write readings start).
INSERT INTO "ReadingHourly"
SELECT c.* FROM "Meter" m, LATERAL reading_hourly_compute(m.id, '-infinity', 'infinity') c;
