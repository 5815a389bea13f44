import type { MeterAdapter, MeterDrive, MeterTrust, Prisma, PrismaClient } from './generated/client.js';

/**
 * Per-meter adapters (MeterAdapter rows): the labels they learn from, recording a trained one with its
 * verdict, the one recognize uses, and restoring the previous one. Shared by recognize (trains, reads)
 * and the portal (enqueues, shows, restores).
 */

/** TrainingSample.kind of each recognizer kind. */
export const ADAPTER_SAMPLE_KIND = { digits: 'digit', pointers: 'pointer' } as const;
export type AdapterKind = keyof typeof ADAPTER_SAMPLE_KIND;

/** Adapters of a meter trained on the same kind of crops. */
const ofKind = (meterId: string, kind: AdapterKind) => ({ meterId, kind });

/**
 * The meter's labels of this kind (operator confirmations and corrections, and drums the history
 * proves), how many reviewed readings they come from, and how many arrived since its newest adapter
 * (whatever became of it) was trained.
 */
export async function adapterLabels(
  prisma: PrismaClient,
  meterId: string,
  kind: AdapterKind,
): Promise<{ total: number; readings: number; sinceLast: number }> {
  const where = { meterId, kind: ADAPTER_SAMPLE_KIND[kind] };
  const [total, readings, last] = await Promise.all([
    prisma.trainingSample.count({ where }),
    // Reviewed readings only: history labels sit on readings nobody reviewed.
    prisma.trainingSample.findMany({
      where: { ...where, readingId: { not: null }, source: { in: ['operator_confirmation', 'operator_correction'] } },
      distinct: ['readingId'],
      select: { readingId: true },
    }),
    prisma.meterAdapter.findFirst({ where: ofKind(meterId, kind), orderBy: { createdAt: 'desc' }, select: { labelCount: true } }),
  ]);
  // Labels deleted since (a meter's samples cleaned up) leave fewer than the adapter counted: none new.
  return { total, readings: readings.length, sinceLast: Math.max(0, total - (last?.labelCount ?? 0)) };
}

/** The meter's labeled crops of this kind, where their images are stored and where each label came from. */
export function findAdapterSamples(prisma: PrismaClient, meterId: string, kind: AdapterKind) {
  return prisma.trainingSample.findMany({
    where: { meterId, kind: ADAPTER_SAMPLE_KIND[kind] },
    select: { id: true, label: true, storageKey: true, sha256: true, source: true },
  });
}

/** Reviewed readings a meter's drive is learned from, newest first: at most this many. */
const DRIVE_READINGS = 200;

/**
 * The drums of the meter's readings an operator confirmed as read (not corrected: a corrected reading's
 * drums were misread), newest first: what its drive is learned from (packages/readings learnDrive).
 */
export function findConfirmedReadingDrums(prisma: PrismaClient, meterId: string): Promise<Array<{ digits: Prisma.JsonValue }>> {
  return prisma.reading.findMany({
    where: { meterId, status: 'accepted', reviewedAt: { not: null }, originalValue: null },
    orderBy: { takenAt: 'desc' },
    take: DRIVE_READINGS,
    select: { digits: true },
  });
}

/**
 * The adapter recognize uses for the meter's crops of this kind, or null (the base model). Its
 * minConfidence is the meter's acceptance threshold while it reads the meter.
 */
export function promotedAdapter(prisma: PrismaClient, meterId: string, kind: AdapterKind): Promise<MeterAdapter | null> {
  return prisma.meterAdapter.findFirst({ where: { ...ofKind(meterId, kind), status: 'promoted' } });
}

/** The meter's adapters, newest first (the portal's list). */
export function listMeterAdapters(prisma: PrismaClient, meterId: string): Promise<MeterAdapter[]> {
  return prisma.meterAdapter.findMany({ where: { meterId }, orderBy: { createdAt: 'desc' } });
}

export interface TrainedAdapter {
  id: string;
  meterId: string;
  kind: AdapterKind;
  version: string;
  baseVersion: string;
  storagePrefix: string;
  labelCount: number;
  heldBack: Prisma.InputJsonObject;
  /** Its acceptance threshold learned from the held-back labels (null: the service's), and why. */
  minConfidence: number | null;
  threshold: Prisma.InputJsonObject;
  /** Promote it (the one in use is retired), or record it rejected with `reason`. */
  verdict: { promote: true } | { promote: false; reason: string };
  /** The meter's trust as the run decided it, when it decided one. */
  trust?: { trust: MeterTrust; figures: Prisma.InputJsonObject };
  /** The meter's drive as its reviewed readings show it (null: not known), decided with the same run. */
  drive?: { drive: MeterDrive | null; figures: Prisma.InputJsonObject };
}

/** Records a trained adapter with its verdict in one transaction: the retired one, the new one, the meter's trust and drive, an audit row. */
export async function recordAdapter(prisma: PrismaClient, adapter: TrainedAdapter, now = new Date()): Promise<MeterAdapter> {
  const { verdict, trust, drive, ...row } = adapter;
  return prisma.$transaction(async (tx) => {
    const meter = await tx.meter.findUniqueOrThrow({ where: { id: row.meterId }, select: { orgId: true } });
    if (verdict.promote) {
      await tx.meterAdapter.updateMany({
        where: { ...ofKind(row.meterId, row.kind), status: 'promoted' },
        data: { status: 'retired', retiredAt: now, reason: `replaced by ${row.version}` },
      });
    }
    const created = await tx.meterAdapter.create({
      data: verdict.promote
        ? { ...row, status: 'promoted', promotedAt: now }
        : { ...row, status: 'rejected', reason: verdict.reason },
    });
    if (trust || drive) {
      await tx.meter.update({
        where: { id: row.meterId },
        data: {
          ...(trust ? { trust: trust.trust, trustFigures: trust.figures } : {}),
          ...(drive ? { learnedDrive: drive.drive, driveFigures: drive.figures } : {}),
        },
      });
    }
    await tx.auditLog.create({
      data: {
        orgId: meter.orgId,
        actorType: 'system',
        action: verdict.promote ? 'adapter.promoted' : 'adapter.rejected',
        entityType: 'meter',
        entityId: row.meterId,
        data: { adapterId: created.id, version: row.version, reason: created.reason, trust: trust?.trust ?? null, learnedDrive: drive?.drive ?? null },
      },
    });
    return created;
  });
}

/** Why the previous adapter cannot be restored: the portal's status, the English text and a code it words in the user's language. */
export class AdapterRestoreError extends Error {
  constructor(
    readonly status: 404 | 409,
    message: string,
    readonly code: 'meter-not-found' | 'no-adapter-to-restore' | 'adapter-changed-meanwhile',
  ) {
    super(message);
  }
}

/**
 * Puts the meter back on the adapter that was in use before the current one (the newest retired one
 * trained before it), or on the base model when there is none; the current one is retired and the meter
 * is learning again. The threshold comes back with the adapter (it is a column of the row). Walking back by training time, a second restore goes one adapter further back
 * rather than undoing the first.
 */
export async function restorePreviousAdapter(
  prisma: PrismaClient,
  input: { orgId: string; meterId: string; kind: AdapterKind; actorId: string },
  now = new Date(),
): Promise<{ retired: MeterAdapter; restored: MeterAdapter | null }> {
  return prisma.$transaction(async (tx) => {
    const meter = await tx.meter.findFirst({ where: { id: input.meterId, orgId: input.orgId }, select: { id: true } });
    if (!meter) throw new AdapterRestoreError(404, 'meter not found', 'meter-not-found');
    const current = await tx.meterAdapter.findFirst({ where: { ...ofKind(input.meterId, input.kind), status: 'promoted' } });
    if (!current) throw new AdapterRestoreError(409, 'the meter reads with the base model: there is no adapter to restore from', 'no-adapter-to-restore');
    const previous = await tx.meterAdapter.findFirst({
      where: { ...ofKind(input.meterId, input.kind), status: 'retired', createdAt: { lt: current.createdAt } },
      orderBy: { createdAt: 'desc' },
    });
    const retired = await tx.meterAdapter.updateMany({
      where: { id: current.id, status: 'promoted' },
      data: { status: 'retired', retiredAt: now, reason: `an admin restored ${previous ? previous.version : 'the base model'}` },
    });
    if (retired.count === 0) throw new AdapterRestoreError(409, 'someone else changed the adapter first', 'adapter-changed-meanwhile');
    const restored = previous
      ? await tx.meterAdapter.update({ where: { id: previous.id }, data: { status: 'promoted', promotedAt: now, retiredAt: null, reason: null } })
      : null;
    // Someone found the model in use wanting: a person looks at the meter's readings again until the
    // next adapter run judges the model it reads with now.
    await tx.meter.update({
      where: { id: input.meterId },
      data: { trust: 'learning', trustFigures: { reason: `an admin restored ${restored ? `adapter ${restored.version}` : 'the base model'}: readings are reviewed until the next adapter run` } },
    });
    await tx.auditLog.create({
      data: {
        orgId: input.orgId,
        actorType: 'user',
        actorId: input.actorId,
        action: 'adapter.restored',
        entityType: 'meter',
        entityId: input.meterId,
        data: { kind: input.kind, from: current.id, to: restored?.id ?? null },
      },
    });
    return { retired: await tx.meterAdapter.findUniqueOrThrow({ where: { id: current.id } }), restored };
  });
}
