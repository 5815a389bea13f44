import type { Prisma } from '@metertwin/db';

/** Stores labelled crops; a crop already stored (same reading, kind and index) is skipped. Returns how many were new. */
export async function insertTrainingSamples(
  db: Prisma.TransactionClient,
  samples: Prisma.TrainingSampleCreateManyInput[],
): Promise<number> {
  return (await db.trainingSample.createMany({ data: samples, skipDuplicates: true })).count;
}
