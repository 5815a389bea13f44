-- AlterTable
ALTER TABLE "Meter" ADD COLUMN     "timeZone" TEXT NOT NULL DEFAULT 'UTC';

-- AlterTable
ALTER TABLE "Reading" ADD COLUMN     "consumption" DECIMAL(20,6),
ADD COLUMN     "corrections" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "flowPerHour" DOUBLE PRECISION,
ADD COLUMN     "reanchored" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Alarm" ADD COLUMN     "details" JSONB;

-- CreateTable
CREATE TABLE "RuleState" (
    "ruleId" TEXT NOT NULL,
    "meterId" TEXT NOT NULL,
    "state" JSONB NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RuleState_pkey" PRIMARY KEY ("ruleId","meterId")
);

-- AddForeignKey
ALTER TABLE "RuleState" ADD CONSTRAINT "RuleState_ruleId_fkey" FOREIGN KEY ("ruleId") REFERENCES "Rule"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RuleState" ADD CONSTRAINT "RuleState_meterId_fkey" FOREIGN KEY ("meterId") REFERENCES "Meter"("id") ON DELETE CASCADE ON UPDATE CASCADE;
