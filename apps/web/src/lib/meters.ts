import {
  BoxSchema,
  CounterLayoutSchema,
  QuadSchema,
  type Box,
  type CounterLayout,
  type Quad,
} from '@metertwin/contracts';
import type { PrismaClient } from '@metertwin/db';
import type { StoredAlarmText } from '@metertwin/rules';
import { ConversionSchema } from '@metertwin/readings';
import { z } from 'zod';
import { meterCameraState, type CameraState } from './camera-health';
import { findNewestCapture } from './capture.repository';
import { HISTORY_RANGES, type HistoryRange } from './history';
import { findMeterTwinRow } from './meter.repository';
import {
  findConsumptionBuckets,
  findConsumptionBucketsFromRollup,
  findLatestReadings,
  findReadingsBatch,
  zoneHasWholeHourOffsets,
  type BucketRow,
} from './reading.repository';

/**
 * Every query the portal's pages make, returning plain objects (no Prisma Decimal, no raw JSON) so
 * pages stay simple and the module is tested against a real database.
 */

export type ReadingStatus = 'accepted' | 'corrected' | 'needs_review' | 'rejected';

export interface ReadingSummary {
  id: string;
  captureId: string;
  /** As the counter shows it, "01234.567"; null when unreadable. */
  value: string | null;
  status: ReadingStatus;
  reason: string | null;
  confidence: number;
  takenAt: Date;
}

export interface DigitResult {
  /** Drum position in tenths (3.4 = shows 3, 0.4 of the way to 4). */
  value: number;
  /** The digit chosen for the reading. */
  digit: number | null;
  confidence: number;
  /** Where the digit was cut, in frame pixels. */
  box: Box | null;
}

export interface TwinPhoto {
  captureId: string;
  /** Frame size the boxes refer to; null when neither the capture nor the layout knows it. */
  width: number | null;
  height: number | null;
  takenAt: Date;
  /** The counter window, scaled from the layout's reference photo to this frame. */
  window: Box | null;
  /** A counter given as a quad: the window and each drum's cell where preprocess found them in this frame. */
  counter: { quad: Quad; drums: Quad[] } | null;
  digits: DigitResult[];
}

const CaptureCounterSchema = z.object({
  counter: z.object({ quad: QuadSchema, drums: z.array(QuadSchema) }),
});

/** The window quad and drum cells preprocess stored with a capture (Capture.crops.counter), if any. */
export function parseCounter(crops: unknown): TwinPhoto['counter'] {
  const parsed = CaptureCounterSchema.safeParse(crops);
  return parsed.success ? { quad: parsed.data.counter.quad, drums: parsed.data.counter.drums } : null;
}

export interface CaptureNotice {
  id: string;
  status: string;
  error: string | null;
  takenAt: Date;
}

export interface AlarmSummary extends StoredAlarmText {
  id: string;
  severity: string;
  raisedAt: Date;
}

export interface MeterTwin {
  meter: {
    id: string;
    name: string;
    location: string;
    kind: string;
    unit: string;
    digits: number;
    decimals: number;
    group: string | null;
    /** IANA zone the history is bucketed in. */
    timeZone: string;
    /** The meter has a valid volume-to-energy conversion: readings carry kWh. */
    energy: boolean;
    layout: CounterLayout | null;
    /** When the meter was archived (it takes no photos), null in service. */
    archivedAt: Date | null;
  };
  reading: (ReadingSummary & { digits: DigitResult[]; modelVersion: string }) | null;
  photo: TwinPhoto | null;
  /** The newest capture, when it is newer than the reading shown and has no reading (yet). */
  pendingCapture: CaptureNotice | null;
  history: ReadingSummary[];
  camera: CameraState;
  alarms: AlarmSummary[];
}

export const HISTORY_LENGTH = 20;
/** Active alarms the twin page lists, newest first. */
const ACTIVE_ALARMS_SHOWN = 10;

const DigitJsonSchema = z.object({
  value: z.number(),
  digit: z.number().int().nullable().optional(),
  confidence: z.number(),
  box: BoxSchema.nullable().optional(),
});

/** Reading.digits as stored by recognize; entries that do not fit are dropped rather than failing the page. */
export function parseDigits(json: unknown): DigitResult[] {
  if (!Array.isArray(json)) return [];
  return json.flatMap((entry) => {
    const parsed = DigitJsonSchema.safeParse(entry);
    if (!parsed.success) return [];
    const { value, digit, confidence, box } = parsed.data;
    return [{ value, digit: digit ?? null, confidence, box: box ?? null }];
  });
}

export function parseLayout(json: unknown): CounterLayout | null {
  const parsed = CounterLayoutSchema.safeParse(json);
  return parsed.success ? parsed.data : null;
}

/** A box drawn on a `from`-sized image, expressed on a `to`-sized one. */
export function scaleBox(
  box: Box,
  from: { width: number; height: number },
  to: { width: number; height: number },
): Box {
  const sx = to.width / from.width;
  const sy = to.height / from.height;
  return [box[0] * sx, box[1] * sy, box[2] * sx, box[3] * sy];
}

/** Everything the twin page shows for one meter; null for an unknown id or another organization's meter. */
export async function getMeterTwin(
  prisma: PrismaClient,
  orgId: string,
  meterId: string,
): Promise<MeterTwin | null> {
  const meter = await findMeterTwinRow(prisma, orgId, meterId, ACTIVE_ALARMS_SHOWN);
  if (!meter) return null;

  const [readings, newestCapture, camera] = await Promise.all([
    findLatestReadings(prisma, meterId, HISTORY_LENGTH),
    findNewestCapture(prisma, meterId),
    meterCameraState(prisma, meterId),
  ]);

  const layout = parseLayout(meter.layout);
  const latest = readings[0];
  const digits = latest ? parseDigits(latest.digits) : [];

  let photo: TwinPhoto | null = null;
  if (latest) {
    const width = latest.capture.width ?? layout?.reference.width ?? null;
    const height = latest.capture.height ?? layout?.reference.height ?? null;
    const window =
      layout?.window && width && height ? scaleBox(layout.window, layout.reference, { width, height }) : null;
    const counter = parseCounter(latest.capture.crops);
    photo = {
      captureId: latest.capture.id,
      width,
      height,
      takenAt: latest.capture.takenAt,
      window,
      counter,
      digits,
    };
  }

  const pendingCapture =
    newestCapture && !newestCapture.reading && (!latest || newestCapture.takenAt >= latest.capture.takenAt)
      ? {
          id: newestCapture.id,
          status: newestCapture.status,
          error: newestCapture.error,
          takenAt: newestCapture.takenAt,
        }
      : null;

  const summary = (r: (typeof readings)[number]): ReadingSummary => ({
    id: r.id,
    captureId: r.captureId,
    value: r.value,
    status: r.status,
    reason: r.reason,
    confidence: r.confidence,
    takenAt: r.takenAt,
  });

  return {
    meter: {
      id: meter.id,
      name: meter.name,
      location: meter.location,
      kind: meter.kind,
      unit: meter.unit,
      digits: meter.digits,
      decimals: meter.decimals,
      group: meter.group,
      timeZone: meter.timeZone,
      energy: ConversionSchema.safeParse(meter.conversion).success,
      layout,
      archivedAt: meter.archivedAt,
    },
    reading: latest ? { ...summary(latest), digits, modelVersion: latest.modelVersion } : null,
    photo,
    pendingCapture,
    history: readings.map(summary),
    camera,
    alarms: meter.alarms,
  };
}

export { HISTORY_RANGES, type HistoryRange } from './history';

export interface HistoryBucket {
  /** Start of the bucket (local midnight / hour / first of month in the meter's zone, as an instant), and of the next. */
  start: Date;
  end: Date;
  /** Sum of `consumption` of the accepted and corrected readings in the bucket (0 when none). */
  consumption: number;
  /** Sum of their `energy` (kWh) for meters with a conversion rule; 0 otherwise. */
  energy: number;
  /** The counter value of the bucket's last accepted or corrected reading; null when it has none. */
  counter: number | null;
  /** That reading's capture (else the bucket's last reading of any status): the photo behind the point. */
  captureId: string | null;
  takenAt: Date | null;
  /** Readings of any status in the bucket. */
  readings: number;
}

/** Longest span of one bucket, so that `count` of them surely cover the zone check's window. */
const LONGEST_BUCKET_MS: Record<HistoryRange, number> = {
  hour: 3_600_000,
  day: 25 * 3_600_000,
  month: 31 * 86_400_000,
};

/**
 * Consumption, energy and counter value per hour, day or month in the meter's time zone (a day is
 * local midnight to midnight, 23 or 25 hours across a DST change), bucketed in SQL: the last
 * `buckets` buckets up to the one holding `now`, every one present, oldest first. Read from the hourly
 * roll-up, which stays when reading retention deletes raw rows; for a zone with a fractional offset
 * (+5:30, +5:45) a UTC hour straddles two local buckets, so those meters are bucketed from raw readings.
 */
export async function getConsumptionHistory(
  prisma: PrismaClient,
  meterId: string,
  range: HistoryRange,
  options: { now?: Date; timeZone?: string; buckets?: number } = {},
): Promise<HistoryBucket[]> {
  const end = options.now ?? new Date();
  const tz = options.timeZone ?? 'UTC';
  const count = options.buckets ?? HISTORY_RANGES[range].buckets;
  const window = { range, end, tz, count };
  const whole = await zoneHasWholeHourOffsets(
    prisma,
    tz,
    new Date(end.getTime() - count * LONGEST_BUCKET_MS[range]),
    end,
  );
  const rows = whole
    ? await findConsumptionBucketsFromRollup(prisma, meterId, window)
    : await findConsumptionBuckets(prisma, meterId, window);
  return rows.map(toHistoryBucket);
}

/** One bucket row of SQL (instants as ISO strings) as the chart's bucket. */
export function toHistoryBucket(row: BucketRow): HistoryBucket {
  return {
    start: new Date(row.bucket),
    end: new Date(row.bucket_end),
    consumption: row.consumption,
    energy: row.energy,
    counter: row.counter,
    captureId: row.capture_id,
    takenAt: row.taken_at ? new Date(row.taken_at) : null,
    readings: row.readings,
  };
}

export interface ReadingExportRow {
  takenAt: Date;
  value: string | null;
  numeric: string | null;
  status: ReadingStatus;
  confidence: number;
  consumption: string | null;
  flowPerHour: number | null;
  reason: string | null;
}

/**
 * A meter's readings in [from, to), oldest first, fetched in keyset-paginated batches so an export
 * of years of readings never sits in memory at once.
 */
export async function* exportReadings(
  prisma: PrismaClient,
  meterId: string,
  window: { from?: Date; to?: Date },
  batchSize = 1000,
): AsyncGenerator<ReadingExportRow[]> {
  let cursor: string | undefined;
  for (;;) {
    const batch = await findReadingsBatch(prisma, meterId, window, batchSize, cursor);
    if (batch.length === 0) return;
    yield batch.map((r) => ({
      takenAt: r.takenAt,
      value: r.value,
      numeric: r.numeric?.toString() ?? null,
      status: r.status,
      confidence: r.confidence,
      consumption: r.consumption?.toString() ?? null,
      flowPerHour: r.flowPerHour,
      reason: r.reason,
    }));
    if (batch.length < batchSize) return;
    cursor = batch[batch.length - 1]!.id;
  }
}
