import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueName } from '@metertwin/contracts';
import { createMeterWithCamera } from '@metertwin/db';
import { QueueService, serviceUrl } from '@metertwin/service-kit';
import { waitFor } from '@metertwin/testing';
import { composeMeter, type ComposedMeter } from '@metertwin/composer';
import { startPlatform, type Platform } from './platform.js';

describe('a meter photo through ingest → preprocess → recognize → notify', () => {
  let platform: Platform;
  let photo: ComposedMeter;
  let meter: { meterId: string; deviceId: string; deviceToken: string };
  let orgId: string;

  const upload = (body: NonNullable<RequestInit['body']>, init: { meterId?: string; token?: string; type?: string; takenAt?: string } = {}) =>
    fetch(`${platform.ingestUrl}/v1/meters/${init.meterId ?? meter.meterId}/captures`, {
      method: 'POST',
      headers: {
        'content-type': init.type ?? 'image/jpeg',
        authorization: `Bearer ${init.token ?? meter.deviceToken}`,
        ...(init.takenAt ? { 'x-taken-at': init.takenAt } : {}),
      },
      body,
    });

  beforeAll(async () => {
    platform = await startPlatform();
    photo = await composeMeter({ value: '01234.567', digits: 5, decimals: 3, seed: 11 });
    const org = await platform.prisma.organization.create({ data: { name: 'Test Water', slug: 'test-water' } });
    orgId = org.id;
    meter = await createMeterWithCamera(platform.prisma, {
      orgId,
      name: 'Basement main',
      digits: 8,
      decimals: 3,
      layout: photo.layout,
    });
    await platform.prisma.rule.create({
      data: { orgId, meterId: meter.meterId, type: 'threshold', config: { above: 1000 }, severity: 'major' },
    });
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('stores a reading whose digits match the photo, and notify raises the threshold alarm', async () => {
    const response = await upload(new Uint8Array(photo.jpeg));
    expect(response.status).toBe(202);
    const { captureId, duplicate } = (await response.json()) as { captureId: string; duplicate: boolean };
    expect(duplicate).toBe(false);

    const reading = await waitFor(() => platform.prisma.reading.findUnique({ where: { captureId } }), {
      what: 'the reading',
    });
    expect(reading.value).toBe(photo.truth.display);
    expect(reading.meterId).toBe(meter.meterId);
    expect((reading.digits as unknown[]).length).toBe(8);
    expect(reading.modelVersion).not.toBe('');

    const alarm = await waitFor(() => platform.prisma.alarm.findFirst({ where: { readingId: reading.id } }), {
      what: 'notify to raise the alarm',
    });
    expect(alarm).toMatchObject({ type: 'threshold', status: 'active', meterId: meter.meterId, captureId });
    const capture = await platform.prisma.capture.findUniqueOrThrow({ where: { id: captureId } });
    expect(capture.status).toBe('recognized');
  });

  it('takes the same photo again as the same capture, multipart included', async () => {
    const again = await upload(new Uint8Array(photo.jpeg));
    expect(again.status).toBe(202);
    const form = new FormData();
    form.append('image', new Blob([new Uint8Array(photo.jpeg)], { type: 'image/jpeg' }), 'frame.jpg');
    const multipart = await fetch(`${platform.ingestUrl}/v1/meters/${meter.meterId}/captures`, {
      method: 'POST',
      headers: { authorization: `Bearer ${meter.deviceToken}` },
      body: form,
    });
    expect(multipart.status).toBe(202);
    for (const body of [await again.json(), await multipart.json()]) expect(body).toMatchObject({ duplicate: true });
    expect(await platform.prisma.capture.count({ where: { meterId: meter.meterId } })).toBe(1);
    expect(await platform.prisma.reading.count({ where: { meterId: meter.meterId } })).toBe(1);
  });

  it('answers bad uploads with a clear 4xx and keeps what it had', async () => {
    const corrupt = Buffer.from(photo.jpeg.subarray(0, 2000));
    corrupt.fill(0x5a, 600);
    const cases: Array<[string, Response, number, RegExp]> = [
      ['corrupt JPEG', await upload(corrupt), 422, /image|corrupt|decode/i],
      ['text sent as image/jpeg', await upload('this is not an image'), 422, /image/i],
      ['wrong content type', await upload('{}', { type: 'application/json' }), 415, /image\/jpeg/],
      ['50 MB body', await upload(new Uint8Array(50 * 1024 * 1024)), 413, /larger than/],
      ['wrong token', await upload(new Uint8Array(photo.jpeg), { token: 'mtd_wrong' }), 401, /unknown device token/],
      ['frame from the year 2999', await upload(new Uint8Array(photo.jpeg), { takenAt: '2999-01-01T00:00:00Z' }), 400, /X-Taken-At is in the future/],
      ['frame from 2015', await upload(new Uint8Array(photo.jpeg), { takenAt: '2015-06-01T00:00:00+02:00' }), 400, /X-Taken-At is more than a year ago/],
      ['unreadable X-Taken-At', await upload(new Uint8Array(photo.jpeg), { takenAt: 'yesterday' }), 400, /ISO 8601/],
      [
        'unknown meter',
        await upload(new Uint8Array(photo.jpeg), { meterId: '00000000-0000-0000-0000-000000000000' }),
        404,
        /not found/,
      ],
    ];
    for (const [name, response, status, message] of cases) {
      const body = (await response.json()) as { message: string };
      expect({ name, status: response.status }).toEqual({ name, status });
      expect(body.message, name).toMatch(message);
    }
    // Nothing accepted earlier was lost, and the service still serves.
    expect(await platform.prisma.capture.count({ where: { meterId: meter.meterId } })).toBe(1);
    expect(await platform.prisma.reading.count({ where: { meterId: meter.meterId } })).toBe(1);
    const health = await fetch(`${platform.ingestUrl}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', checks: { redis: 'ok', postgres: 'ok' } });
  });

  it('refuses a multipart upload with a wrong token before reading its body', async () => {
    // A device that sends 9 MB slowly (64 KiB every 10 ms): the answer must come long before the end.
    const url = new URL(`${platform.ingestUrl}/v1/meters/${meter.meterId}/captures`);
    const boundary = 'metertwin-boundary';
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="image"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`;
    const size = 9 * 1024 * 1024;
    let written = 0;
    const answer = await new Promise<{ status: number; writtenBefore: number }>((resolve, reject) => {
      const req = request(url, {
        method: 'POST',
        headers: {
          authorization: 'Bearer mtd_wrong',
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': String(head.length + size),
        },
      });
      req.on('response', (res) => {
        resolve({ status: res.statusCode ?? 0, writtenBefore: written });
        res.resume();
        req.destroy();
      });
      req.on('error', reject);
      req.write(head);
      const chunk = Buffer.alloc(64 * 1024, 0x5a);
      const timer = setInterval(() => {
        if (req.destroyed || written >= size) return clearInterval(timer);
        req.write(chunk);
        written += chunk.length;
      }, 10);
    });
    expect(answer.status).toBe(401);
    expect(answer.writtenBefore).toBeLessThan(2 * 1024 * 1024);
  });

  it('fails a malformed job at once with the reason, and shows it in the dead-letter view', async () => {
    const queue = platform.apps.ingest.get(QueueService).get(QueueName.Preprocess);
    await queue.add(QueueName.Preprocess, { v: 1, captureId: 42 }, { jobId: 'malformed-1', attempts: 5 });
    const failed = await waitFor(async () => ((await queue.getJobState('malformed-1')) === 'failed' ? queue.getJob('malformed-1') : null), {
      what: 'the malformed job to fail',
    });
    expect(failed!.attemptsMade).toBe(1);
    expect(failed!.failedReason).toMatch(/malformed preprocess job/);
    expect(failed!.failedReason).toMatch(/captureId/);

    const preprocessUrl = await serviceUrl(platform.apps.preprocess);
    const denied = await fetch(`${preprocessUrl}/v1/jobs/failed?queue=preprocess`);
    expect(denied.status).toBe(401);
    const view = await fetch(`${preprocessUrl}/v1/jobs/failed?queue=preprocess`, {
      headers: { authorization: `Bearer ${platform.env.ADMIN_TOKEN}` },
    });
    expect(view.status).toBe(200);
    const jobs = (await view.json()) as Array<{ id: string; failedReason: string }>;
    expect(jobs.map((j) => j.id)).toContain('malformed-1');
  });

  it('exposes queue depth, job durations and failures to Prometheus', async () => {
    const text = await (await fetch(`${await serviceUrl(platform.apps.recognize)}/metrics`)).text();
    expect(text).toMatch(/metertwin_queue_jobs\{[^}]*queue="recognize"[^}]*state="completed"[^}]*\} [1-9]/);
    expect(text).toMatch(/metertwin_job_duration_seconds_count\{[^}]*queue="recognize"[^}]*outcome="completed"[^}]*\} 1/);
    const preprocessMetrics = await (await fetch(`${await serviceUrl(platform.apps.preprocess)}/metrics`)).text();
    expect(preprocessMetrics).toMatch(/metertwin_job_failures_total\{[^}]*queue="preprocess"[^}]*final="true"[^}]*\} 1/);
  });

  // after the metrics test, which counts the jobs of the photos above
  it('reads a counter turned 35° and tilted, white on black, through its window quad (COMPOSED photos)', async () => {
    // the reference photo sets the layout (window quad, alignment marks); a later frame is shaken
    const mount = { rotationDeg: 35, shift: [0, 0] as [number, number], tilt: [0.08, 0.04] as [number, number] };
    const style = { value: '00530.12', digits: 5, decimals: 2, seed: 7, whiteOnBlack: true, mount };
    const reference = await composeMeter({ ...style, effects: 0 });
    const frame = await composeMeter({ ...style, effects: 0.5, jitter: 1 });
    const turned = await createMeterWithCamera(platform.prisma, { orgId, name: 'Beside the meter', digits: 7, decimals: 2, layout: reference.layout });
    const response = await upload(new Uint8Array(frame.jpeg), { meterId: turned.meterId, token: turned.deviceToken });
    expect(response.status).toBe(202);
    const { captureId } = (await response.json()) as { captureId: string };
    const reading = await waitFor(() => platform.prisma.reading.findUnique({ where: { captureId } }), { what: 'the reading' });
    expect(reading.value).toBe('00530.12');
    // the overlay: the window quad and each drum's cell where the shaken frame shows them
    const capture = await platform.prisma.capture.findUniqueOrThrow({ where: { id: captureId } });
    const { counter } = capture.crops as { counter: { quad: number[][]; drums: number[][][] } };
    expect(counter.drums).toHaveLength(7);
    counter.drums.forEach((cell, i) => {
      const [x, y, w, h] = frame.truth.digits[i]!;
      const [cx, cy] = [cell.reduce((a, p) => a + p[0]!, 0) / 4, cell.reduce((a, p) => a + p[1]!, 0) / 4];
      expect(Math.hypot(cx - (x + w / 2), cy - (y + h / 2)), `drum ${i}`).toBeLessThan(4);
    });
  });
});
