-- CreateTable
CREATE TABLE "HomeAssistantRetained" (
    "topic" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "meterId" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "HomeAssistantRetained_pkey" PRIMARY KEY ("topic")
);
