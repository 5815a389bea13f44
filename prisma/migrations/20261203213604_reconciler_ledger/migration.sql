-- CreateTable
CREATE TABLE "Redrive" (
    "kind" TEXT NOT NULL,
    "entityId" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "notBefore" TIMESTAMP(3) NOT NULL,
    "lastError" TEXT,
    "gaveUpAt" TIMESTAMP(3),

    CONSTRAINT "Redrive_pkey" PRIMARY KEY ("kind","entityId")
);
