import type { MeterAdaptJob } from '@metertwin/contracts';
import { adapterLabels, listMeterAdapters, type MeterAdapter, type PrismaClient } from '@metertwin/db';
import { ReadingRulesSchema, type Drive, type DriveDecision } from '@metertwin/readings';
import { findMeterTrust } from './meter.repository';

export interface AdapterRequestDeps {
  prisma: PrismaClient;
  enqueue: (job: MeterAdaptJob) => Promise<void>;
  /** New labels since the meter's last adapter that are worth a new one (ADAPT_MIN_NEW_LABELS). */
  minNewLabels: number;
}

/**
 * After a review added labels: asks for a new adapter of the meter when enough arrived since its last
 * one. Counted from the rows, so a request lost to a Redis outage is made again by the next review.
 */
export async function requestAdapterIfDue(deps: AdapterRequestDeps, meterId: string): Promise<boolean> {
  const labels = await adapterLabels(deps.prisma, meterId, 'digits');
  if (labels.sinceLast < deps.minNewLabels) return false;
  await deps.enqueue({ v: 1, meterId, kind: 'digits' });
  return true;
}

/** What the meter page shows about learning the meter: its trust and its adapters. */
export interface MeterLearning {
  trust: 'learning' | 'trusted';
  trustFigures: {
    n?: number;
    right?: number;
    wrongConfident?: number;
    readings?: number;
    reason?: string;
  } | null;
  labels: { total: number; readings: number; sinceLast: number };
  adapters: MeterAdapter[];
  /** How the drums drive each other: the meter's setting, else what its reviewed readings show. */
  drive:
    | { from: 'rules'; drive: Drive }
    | { from: 'learned'; drive: Drive; figures: DriveFigures }
    | { from: 'unknown'; figures: DriveFigures | null };
}

type DriveFigures = DriveDecision['figures'] & { outcome?: DriveDecision['outcome'] };

export async function getMeterLearning(
  prisma: PrismaClient,
  orgId: string,
  meterId: string,
): Promise<MeterLearning | null> {
  const meter = await findMeterTrust(prisma, orgId, meterId);
  if (!meter) return null;
  const [labels, adapters] = await Promise.all([
    adapterLabels(prisma, meterId, 'digits'),
    listMeterAdapters(prisma, meterId),
  ]);
  const rules = ReadingRulesSchema.safeParse(meter.readingRules ?? {});
  const setting = rules.success ? rules.data.drive : 'auto';
  const figures = meter.driveFigures as DriveFigures | null;
  return {
    trust: meter.trust,
    trustFigures: meter.trustFigures as MeterLearning['trustFigures'],
    labels,
    adapters,
    drive:
      setting !== 'auto'
        ? { from: 'rules', drive: setting }
        : meter.learnedDrive && figures
          ? { from: 'learned', drive: meter.learnedDrive, figures }
          : { from: 'unknown', figures },
  };
}
