import type { PrismaClient, TrainingSample } from '@metertwin/db';

/** Every training sample of one kind, oldest first (the export's order, stable across runs). */
export function findTrainingSamplesOfKind(db: PrismaClient, kind: string): Promise<TrainingSample[]> {
  return db.trainingSample.findMany({ where: { kind }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
}
