import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobId, QueueName } from '@metertwin/contracts';
import { waitFor } from '@metertwin/testing';
import { startFakeInflux } from './influx-fake.js';
import { createOrgAndMeter, insertReadings, notifyReadings, startNotifyHarness, type NotifyHarness } from './notify-harness.js';

const TOKEN = 'influx-write-token-0123';

describe('accepted readings exported to InfluxDB (a local fake of its v2 write API)', () => {
  let influx: Awaited<ReturnType<typeof startFakeInflux>>;
  let notify: NotifyHarness;

  beforeAll(async () => {
    influx = await startFakeInflux(TOKEN);
    notify = await startNotifyHarness({
      INFLUX_URL: influx.url,
      INFLUX_TOKEN: TOKEN,
      INFLUX_ORG: 'utility',
      INFLUX_BUCKET: 'meters',
      INFLUX_BACKOFF_MS: '200',
      METER_METRICS: 'true',
    });
  });
  afterAll(async () => {
    await notify?.stop();
    await influx?.stop();
  });

  const pointsOf = (readingId: string) => influx.stored().filter((p) => p.fields.reading_id === `"${readingId}"`);

  it('writes each accepted reading as a point at its photo time, with the meter as tags and the interval figures as fields', async () => {
    const { meter } = await createOrgAndMeter(notify.prisma, 'influx-on');
    await notify.prisma.meter.update({ where: { id: meter.id }, data: { name: 'Block A, riser 2' } });
    const t0 = new Date('2026-12-01T06:00:00.250Z');
    const rows = await insertReadings(notify.prisma, meter.id, [
      { takenAt: t0, value: 1234.5 },
      { takenAt: new Date(t0.getTime() + 2 * 3_600_000), value: 1235 },
    ]);
    await notify.prisma.reading.update({ where: { id: rows[1]!.id }, data: { consumption: 0.5, flowPerHour: 0.25, energy: 4.1 } });
    await notifyReadings(notify, meter.id, rows);

    await waitFor(() => pointsOf(rows[1]!.id).length === 1 && pointsOf(rows[0]!.id).length === 1, { what: 'both points in InfluxDB' });
    const write = influx.requests.find((r) => r.status === 204)!;
    expect(write.query).toEqual({ org: 'utility', bucket: 'meters', precision: 'ms' });
    expect(write.authorization).toBe(`Token ${TOKEN}`);
    expect(pointsOf(rows[0]!.id)[0]).toEqual({
      measurement: 'meter_reading',
      tags: { org: 'influx-on', meter_id: meter.id, meter: 'Block A, riser 2', kind: 'water', unit: 'm3' },
      fields: { value: '1234.5', confidence: '0.99', reading_id: `"${rows[0]!.id}"` },
      timestamp: String(t0.getTime()),
    });
    expect(pointsOf(rows[1]!.id)[0]!.fields).toMatchObject({ value: '1235', consumption: '0.5', flow_per_hour: '0.25', energy: '4.1' });
    expect(pointsOf(rows[1]!.id)[0]!.timestamp).toBe(String(t0.getTime() + 2 * 3_600_000));
  });

  it('does not hold the rules back while InfluxDB is down, and writes the point once it answers', async () => {
    const { meter } = await createOrgAndMeter(notify.prisma, 'influx-down');
    influx.failNext(2, 503);
    const rows = await insertReadings(notify.prisma, meter.id, [{ takenAt: new Date(Date.now() - 60_000), value: 7.25 }]);
    await notifyReadings(notify, meter.id, rows); // the notify job completes with InfluxDB refusing
    expect((await notify.prisma.reading.findUniqueOrThrow({ where: { id: rows[0]!.id } })).notifiedAt).not.toBeNull();
    await waitFor(() => pointsOf(rows[0]!.id).length === 1, { what: 'the point after two refused writes', timeoutMs: 15_000 });
    const tries = influx.requests.filter((r) => r.points.some((p) => p.fields.reading_id === `"${rows[0]!.id}"`));
    expect(tries.map((r) => r.status)).toEqual([503, 503, 204]);
  });

  it('fails the export at once with the reason when InfluxDB refuses the point for good, and exports no rejected reading', async () => {
    const { meter } = await createOrgAndMeter(notify.prisma, 'influx-refused');
    influx.failNext(1, 400);
    const [refused, rejected] = await insertReadings(notify.prisma, meter.id, [
      { takenAt: new Date(Date.now() - 120_000), value: 8 },
      { takenAt: new Date(Date.now() - 60_000), value: 9 },
    ]);
    await notify.prisma.reading.update({ where: { id: rejected!.id }, data: { status: 'rejected' } });
    await notifyReadings(notify, meter.id, [refused!, rejected!]);
    const queue = notify.queues.get(QueueName.TimeSeriesExport);
    const job = await waitFor(async () => {
      const found = await queue.getJob(jobId.timeSeriesExport(refused!.id));
      return found && (await found.getState()) === 'failed' ? found : undefined;
    }, { what: 'the refused export to fail' });
    expect(job.failedReason).toMatch(/InfluxDB refused the point: 400/);
    expect(job.attemptsMade).toBe(1);
    expect(await queue.getJob(jobId.timeSeriesExport(rejected!.id))).toBeUndefined();
    expect(influx.requests.filter((r) => r.points.some((p) => p.tags.org === 'influx-refused'))).toHaveLength(1);
  });

  it("serves each meter's latest accepted value, flow and time as gauges on /metrics", async () => {
    const { meter } = await createOrgAndMeter(notify.prisma, 'influx-gauges');
    const t = new Date('2026-12-02T08:00:00Z');
    const rows = await insertReadings(notify.prisma, meter.id, [
      { takenAt: new Date(t.getTime() - 3_600_000), value: 10 },
      { takenAt: t, value: 10.75 },
    ]);
    await notify.prisma.reading.update({ where: { id: rows[1]!.id }, data: { flowPerHour: 0.75 } });
    const text = await (await fetch(`${notify.url}/metrics`)).text();
    const sample = (name: string) => {
      const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(`meter_id="${meter.id}"`));
      return line ? { labels: line.slice(line.indexOf('{'), line.lastIndexOf('}') + 1), value: Number(line.slice(line.lastIndexOf(' ') + 1)) } : undefined;
    };
    expect(sample('metertwin_meter_reading')).toEqual({
      labels: `{org="influx-gauges",meter_id="${meter.id}",meter="influx-gauges meter",unit="m3",service="notify"}`,
      value: 10.75,
    });
    expect(sample('metertwin_meter_flow_per_hour')?.value).toBe(0.75);
    expect(sample('metertwin_meter_reading_timestamp_seconds')?.value).toBe(t.getTime() / 1000);
  });
});
