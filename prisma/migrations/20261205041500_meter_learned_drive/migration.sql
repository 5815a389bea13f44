-- A meter's drive as its reviewed readings show it (issue 14 §2), decided with each adapter run.
CREATE TYPE "MeterDrive" AS ENUM ('jump', 'continuous');

ALTER TABLE "Meter" ADD COLUMN "learnedDrive" "MeterDrive",
ADD COLUMN "driveFigures" JSONB;
