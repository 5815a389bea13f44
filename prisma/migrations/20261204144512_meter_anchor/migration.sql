-- CreateTable
CREATE TABLE "MeterAnchor" (
    "id" TEXT NOT NULL,
    "meterId" TEXT NOT NULL,
    "value" DECIMAL(20,6) NOT NULL,
    "setAt" TIMESTAMP(3) NOT NULL,
    "reason" TEXT NOT NULL,
    "createdBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MeterAnchor_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "MeterAnchor_meterId_setAt_idx" ON "MeterAnchor"("meterId", "setAt");

-- AddForeignKey
ALTER TABLE "MeterAnchor" ADD CONSTRAINT "MeterAnchor_meterId_fkey" FOREIGN KEY ("meterId") REFERENCES "Meter"("id") ON DELETE CASCADE ON UPDATE CASCADE;
