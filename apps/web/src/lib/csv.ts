import type { PrismaClient } from '@metertwin/db';
import { z } from 'zod';
import { findOrgMeterZone } from './meter.repository';
import { exportReadings, type ReadingExportRow } from './meters';

export const READINGS_CSV_HEADER =
  'taken_at,value,numeric,status,confidence,consumption,flow_per_hour,reason';

/** One RFC 4180 field: quoted when it holds a comma, quote or line break. */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function readingCsvLine(r: ReadingExportRow): string {
  return [
    r.takenAt.toISOString(),
    r.value,
    r.numeric,
    r.status,
    r.confidence,
    r.consumption,
    r.flowPerHour,
    r.reason,
  ]
    .map(csvField)
    .join(',');
}

const DateParam = z
  .string()
  .trim()
  .min(1)
  .transform((s, ctx) => {
    const d = new Date(s);
    if (Number.isNaN(d.getTime())) {
      ctx.addIssue({ code: 'custom', message: `not a date: ${s}` });
      return z.NEVER;
    }
    return d;
  })
  .optional();

const WindowSchema = z.object({ from: DateParam, to: DateParam });

const text = (body: string, status: number) =>
  new Response(body, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
  });

/**
 * GET /api/meters/:id/readings.csv?from=&to= — every reading with taken_at in [from, to) (ISO 8601
 * dates or timestamps; a date without time is UTC midnight), oldest first, streamed in batches.
 * A meter of another organization is not found.
 */
export async function serveReadingsCsv(
  prisma: PrismaClient,
  orgId: string,
  meterId: string,
  request: Request,
): Promise<Response> {
  const params = new URL(request.url).searchParams;
  const window = WindowSchema.safeParse({
    from: params.get('from') || undefined,
    to: params.get('to') || undefined,
  });
  if (!window.success)
    return text(`bad from/to: ${window.error.issues.map((i) => i.message).join('; ')}\n`, 400);
  if (!(await findOrgMeterZone(prisma, orgId, meterId))) return text('meter not found\n', 404);

  const encoder = new TextEncoder();
  const rows = exportReadings(prisma, meterId, window.data);
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(`${READINGS_CSV_HEADER}\r\n`));
    },
    async pull(controller) {
      try {
        const next = await rows.next();
        if (next.done) {
          controller.close();
          return;
        }
        controller.enqueue(encoder.encode(next.value.map((r) => `${readingCsvLine(r)}\r\n`).join('')));
      } catch (err) {
        controller.error(err);
      }
    },
    async cancel() {
      await rows.return(undefined);
    },
  });
  return new Response(body, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="meter-${meterId}-readings.csv"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
  });
}
