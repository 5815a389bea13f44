-- AlterTable
ALTER TABLE "Meter" ADD COLUMN     "archivedAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "Meter_orgId_archivedAt_idx" ON "Meter"("orgId", "archivedAt");
