import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlarmEventJobSchema, QueueName } from '@metertwin/contracts';
import { createPrismaClient, type PrismaClient } from '@metertwin/db';
import { alarmMessageIn } from '@metertwin/rules';
import { createTestDatabase, uniqueQueuePrefix, type TestDatabase } from '@metertwin/testing';
import { listAlarms } from '../src/lib/alarms';
import { createCapture, createOrg, createReading } from './fixtures';
import { apiRequest, createUser, sessionCookie, type TestUser } from './support/auth';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
let POST: typeof import('../src/app/api/alarms/[id]/[event]/route').POST;
let closeQueues: typeof import('../src/lib/queues').closeQueues;
let db: TestDatabase;
let prisma: PrismaClient;
let queue: Queue;
let orgId: string;
let meterId: string;
let operator: TestUser;
let operatorCookie: string;
let viewerCookie: string;

beforeAll(async () => {
  db = await createTestDatabase();
  const prefix = uniqueQueuePrefix();
  Object.assign(process.env, { DATABASE_URL: db.url, REDIS_URL, QUEUE_PREFIX: prefix, STORAGE_DIR: '/tmp' });
  ({ POST } = await import('../src/app/api/alarms/[id]/[event]/route'));
  ({ closeQueues } = await import('../src/lib/queues'));
  prisma = createPrismaClient(db.url);
  // What notify consumes: the contracts' queue name under the services' prefix.
  queue = new Queue(QueueName.AlarmEvent, { connection: { url: REDIS_URL }, prefix });
  orgId = await createOrg(prisma);
  meterId = (await prisma.meter.create({ data: { orgId, name: 'Alarm meter', digits: 5 } })).id;
  operator = await createUser(prisma, { orgId, role: 'operator', name: 'Oscar Operator' });
  operatorCookie = await sessionCookie(prisma, operator.id);
  viewerCookie = await sessionCookie(prisma, (await createUser(prisma, { orgId, role: 'viewer' })).id);
});

afterAll(async () => {
  const g = globalThis as { __mtPrisma?: PrismaClient };
  await closeQueues?.();
  await queue?.obliterate({ force: true }).catch(() => {});
  await queue?.close();
  await g.__mtPrisma?.$disconnect();
  await prisma?.$disconnect();
  await db?.drop();
});

async function raise(
  options: { org?: string; meter?: string; type?: string; severity?: 'critical' | 'minor' } = {},
) {
  const meter = options.meter ?? meterId;
  const type = options.type ?? `leak-${Math.random().toString(36).slice(2, 8)}`;
  const capture = await createCapture(prisma, meter, { takenAt: new Date() });
  return prisma.alarm.create({
    data: {
      orgId: options.org ?? orgId,
      meterId: meter,
      type,
      severity: options.severity ?? 'critical',
      message: 'Flow never stopped overnight',
      openKey: `${meter}:${type}`,
      captureId: capture.id,
    },
  });
}

const act = (id: string, event: string, cookie: string | null = operatorCookie) =>
  POST(apiRequest(`/api/alarms/${id}/${event}`, { cookie, method: 'POST' }), {
    params: Promise.resolve({ id, event }),
  });

describe('POST /api/alarms/:id/acknowledge|clear', () => {
  it('acknowledges then clears: row, audit rows and one alarm-event job per change', async () => {
    const alarm = await raise();
    const ack = await act(alarm.id, 'acknowledge');
    expect(ack.status).toBe(200);
    expect(await ack.json()).toEqual({ id: alarm.id, status: 'acknowledged', announced: true });
    let row = await prisma.alarm.findUniqueOrThrow({ where: { id: alarm.id } });
    expect(row).toMatchObject({
      status: 'acknowledged',
      acknowledgedBy: operator.id,
      openKey: alarm.openKey,
    });
    expect(row.acknowledgedAt).toBeInstanceOf(Date);

    const ackJob = await queue.getJob(`${alarm.id}-acknowledged`);
    expect(AlarmEventJobSchema.parse(ackJob?.data)).toEqual({
      v: 1,
      alarmId: alarm.id,
      event: 'acknowledged',
      actorId: operator.id,
    });

    // Acknowledging twice is a conflict, not a second job.
    expect((await act(alarm.id, 'acknowledge')).status).toBe(409);

    const clear = await act(alarm.id, 'clear');
    expect(clear.status).toBe(200);
    row = await prisma.alarm.findUniqueOrThrow({ where: { id: alarm.id } });
    expect(row).toMatchObject({ status: 'cleared', clearedBy: operator.id, openKey: null });
    expect((await queue.getJob(`${alarm.id}-cleared`))?.data).toMatchObject({
      event: 'cleared',
      actorId: operator.id,
    });
    expect(await queue.count()).toBe(2);

    const audit = await prisma.auditLog.findMany({ where: { entityId: alarm.id }, orderBy: { at: 'asc' } });
    expect(audit.map((a) => [a.action, a.actorId, (a.data as { from: string }).from])).toEqual([
      ['alarm.acknowledged', operator.id, 'active'],
      ['alarm.cleared', operator.id, 'acknowledged'],
    ]);
    const cleared = await act(alarm.id, 'clear');
    expect(cleared.status).toBe(409);
    expect((await cleared.json()).error).toBe('the alarm is cleared: it cannot be cleared');
  });

  it('a cleared alarm frees its open key: the rule can open a new one', async () => {
    const alarm = await raise({ type: 'no-reading' });
    expect((await act(alarm.id, 'clear')).status).toBe(200);
    const again = await raise({ type: 'no-reading' });
    expect(again.openKey).toBe(alarm.openKey);
  });

  it('401 signed out, 403 for a viewer, 404 for another organization’s alarm or an unknown action', async () => {
    const alarm = await raise();
    expect((await act(alarm.id, 'acknowledge', null)).status).toBe(401);
    expect((await act(alarm.id, 'acknowledge', viewerCookie)).status).toBe(403);
    expect((await act(alarm.id, 'delete')).status).toBe(404);
    const otherOrg = await createOrg(prisma);
    const otherMeter = (await prisma.meter.create({ data: { orgId: otherOrg, name: 'Theirs', digits: 5 } }))
      .id;
    const theirs = await raise({ org: otherOrg, meter: otherMeter });
    expect((await act(theirs.id, 'acknowledge')).status).toBe(404);
    expect((await prisma.alarm.findUniqueOrThrow({ where: { id: theirs.id } })).status).toBe('active');
    expect(await queue.getJob(`${theirs.id}-acknowledged`)).toBeUndefined();
    expect((await prisma.alarm.findUniqueOrThrow({ where: { id: alarm.id } })).status).toBe('active');

    const { alarms } = await listAlarms(prisma, orgId, 'all');
    expect(alarms.some((a) => a.id === theirs.id)).toBe(false);
  });

  it('lists open alarms active first and most severe first, with who acted', async () => {
    const org = await createOrg(prisma);
    const meter = (await prisma.meter.create({ data: { orgId: org, name: 'List meter', digits: 5 } })).id;
    const user = await createUser(prisma, { orgId: org, role: 'operator', name: 'Ida' });
    const cookie = await sessionCookie(prisma, user.id);
    const minor = await raise({ org, meter, severity: 'minor' });
    const critical = await raise({ org, meter, severity: 'critical' });
    const acked = await raise({ org, meter, severity: 'critical' });
    const gone = await raise({ org, meter, severity: 'critical' });
    expect((await act(acked.id, 'acknowledge', cookie)).status).toBe(200);
    expect((await act(gone.id, 'clear', cookie)).status).toBe(200);
    const open = await listAlarms(prisma, org, 'open');
    expect(open.alarms.map((a) => a.id)).toEqual([critical.id, minor.id, acked.id]);
    expect(open.alarms[2]!.acknowledgedBy).toBe('Ida');
    expect(open.counts).toEqual({ active: 2, acknowledged: 1, cleared: 1 });
    // Without a captureId of its own, an alarm shows the photo of the reading that raised it.
    const reading = await createReading(prisma, meter, { takenAt: new Date(), value: '00012' });
    await prisma.alarm.update({ where: { id: minor.id }, data: { captureId: null, readingId: reading.id } });
    const withReading = await listAlarms(prisma, org, 'open');
    expect(withReading.alarms.find((a) => a.id === minor.id)?.captureId).toBe(reading.captureId);
    const cleared = await listAlarms(prisma, org, 'cleared');
    expect(cleared.alarms.map((a) => [a.id, a.clearedBy])).toEqual([[gone.id, 'Ida']]);
  });

  it("lists a built-in rule's alarm with its code, worded in each reader's language", async () => {
    const org = await createOrg(prisma);
    const meter = (await prisma.meter.create({ data: { orgId: org, name: 'Coded meter', digits: 5 } })).id;
    const alarm = await raise({ org, meter });
    await prisma.alarm.update({
      where: { id: alarm.id },
      data: { message: 'flow 2.5/h is above 1/h', messageCode: 'flow-rate.above', messageParams: { flow: 2.5, limit: 1 } },
    });
    const [row] = (await listAlarms(prisma, org, 'open')).alarms;
    expect(alarmMessageIn('ko', row!)).toBe('유량 2.5/h, 한도 1/h 초과');
    expect(alarmMessageIn('en', row!)).toBe('flow 2.5/h is above 1/h');
  });
});
