import type { PrismaClient } from '@metertwin/db';

/** Data access of the time-series export: the readings it writes and the fleet's latest values. */

export interface ExportedReading {
  id: string;
  status: string;
  numeric: number | null;
  consumption: number | null;
  flowPerHour: number | null;
  energy: number | null;
  confidence: number;
  takenAt: Date;
  meter: { id: string; name: string; kind: string; unit: string; org: { slug: string } };
}

const num = (value: { toNumber(): number } | null) => (value === null ? null : value.toNumber());

export async function findExportedReading(db: PrismaClient, id: string): Promise<ExportedReading | null> {
  const row = await db.reading.findUnique({
    where: { id },
    select: {
      id: true,
      status: true,
      numeric: true,
      consumption: true,
      flowPerHour: true,
      energy: true,
      confidence: true,
      takenAt: true,
      meter: { select: { id: true, name: true, kind: true, unit: true, org: { select: { slug: true } } } },
    },
  });
  return row && { ...row, numeric: num(row.numeric), consumption: num(row.consumption), energy: num(row.energy) };
}

export interface MeterLatest {
  meterId: string;
  meterName: string;
  orgSlug: string;
  unit: string;
  numeric: number;
  flowPerHour: number | null;
  takenAt: Date;
}

/** Each meter's latest accepted reading with a value (one index scan per meter, for /metrics). */
export async function findLatestPerMeter(db: PrismaClient): Promise<MeterLatest[]> {
  const rows = await db.$queryRaw<
    { meterId: string; meterName: string; orgSlug: string; unit: string; numeric: string; flowPerHour: number | null; takenAt: Date }[]
  >`
    SELECT m.id AS "meterId", m.name AS "meterName", o.slug AS "orgSlug", m.unit, r.numeric::text AS numeric, r."flowPerHour", r."takenAt"
    FROM "Meter" m
    JOIN "Organization" o ON o.id = m."orgId"
    JOIN LATERAL (
      SELECT numeric, "flowPerHour", "takenAt" FROM "Reading"
      WHERE "meterId" = m.id AND status = 'accepted' AND numeric IS NOT NULL
      ORDER BY "takenAt" DESC LIMIT 1
    ) r ON true`;
  return rows.map((row) => ({ ...row, numeric: Number(row.numeric) }));
}
