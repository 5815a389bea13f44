import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type PrismaClient } from '@metertwin/db';
import { createTestDatabase, uniqueQueuePrefix, type TestDatabase } from '@metertwin/testing';
import { createOrg, LAYOUT, TINY_PNG } from './fixtures';
import { createUser, sessionCookie } from './support/auth';

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
let db: TestDatabase;
let prisma: PrismaClient;
let cookie: string;
let ids: Record<string, string>;

beforeAll(async () => {
  db = await createTestDatabase();
  Object.assign(process.env, {
    DATABASE_URL: db.url,
    REDIS_URL,
    QUEUE_PREFIX: uniqueQueuePrefix(),
    STORAGE_DIR: '/tmp',
  });
  prisma = createPrismaClient(db.url);
  const orgId = await createOrg(prisma);
  const admin = await createUser(prisma, { orgId, role: 'admin' });
  cookie = await sessionCookie(prisma, admin.id);
  const meter = await prisma.meter.create({
    data: { orgId, name: 'Fuzzed', digits: 4, decimals: 0, layout: LAYOUT },
  });
  const capture = await prisma.capture.create({
    data: {
      meterId: meter.id,
      sha256: 'f'.repeat(64),
      storageKey: 'fuzz.png',
      contentType: 'image/png',
      bytes: TINY_PNG.length,
      source: 'upload',
      status: 'recognized',
      takenAt: new Date(),
    },
  });
  const reading = await prisma.reading.create({
    data: {
      meterId: meter.id,
      captureId: capture.id,
      value: '0001',
      numeric: 1,
      digits: [],
      confidence: 0.5,
      status: 'needs_review',
      modelVersion: 'fuzz',
      takenAt: new Date(),
    },
  });
  const alarm = await prisma.alarm.create({
    data: {
      orgId,
      meterId: meter.id,
      type: 'threshold',
      severity: 'major',
      message: 'fuzz',
      status: 'active',
    },
  });
  const actuator = await prisma.actuator.create({
    data: { orgId, name: 'Valve', kind: 'http', config: { url: 'http://10.0.0.9/' } },
  });
  const rule = await prisma.rule.create({
    data: { orgId, meterId: meter.id, type: 'threshold', config: { above: 9 } },
  });
  const member = await createUser(prisma, { orgId, role: 'viewer' });
  ids = {
    meter: meter.id,
    reading: reading.id,
    alarm: alarm.id,
    actuator: actuator.id,
    rule: rule.id,
    member: member.id,
  };
});

afterAll(async () => {
  const g = globalThis as { __mtPrisma?: PrismaClient };
  await g.__mtPrisma?.$disconnect();
  await prisma?.$disconnect();
  await db?.drop();
  await (await import('../src/lib/actuators')).closeActuationQueue();
  await (await import('../src/lib/queues')).closeQueues();
});

// Every portal route that takes a body: [path, method, params, module].
const routes: [string, string, () => Record<string, string>, () => Promise<Record<string, unknown>>][] = [
  ['/api/rules', 'POST', () => ({}), () => import('../src/app/api/rules/route')],
  ['/api/rules/:id', 'PUT', () => ({ id: ids.rule! }), () => import('../src/app/api/rules/[id]/route')],
  [
    '/api/actuators/:id/commands',
    'POST',
    () => ({ id: ids.actuator! }),
    () => import('../src/app/api/actuators/[id]/commands/route'),
  ],
  [
    '/api/actuators/:id/override',
    'PUT',
    () => ({ id: ids.actuator! }),
    () => import('../src/app/api/actuators/[id]/override/route'),
  ],
  [
    '/api/readings/:id/review',
    'POST',
    () => ({ id: ids.reading! }),
    () => import('../src/app/api/readings/[id]/review/route'),
  ],
  [
    '/api/alarms/:id/:event',
    'POST',
    () => ({ id: ids.alarm!, event: 'acknowledge' }),
    () => import('../src/app/api/alarms/[id]/[event]/route'),
  ],
  ['/api/me/preferences', 'PUT', () => ({}), () => import('../src/app/api/me/preferences/route')],
  ['/api/me/push-devices', 'POST', () => ({}), () => import('../src/app/api/me/push-devices/route')],
  ['/api/me/web-push', 'POST', () => ({}), () => import('../src/app/api/me/web-push/route')],
  [
    '/api/organization/device-networks',
    'PUT',
    () => ({}),
    () => import('../src/app/api/organization/device-networks/route'),
  ],
  [
    '/api/organization/retention',
    'PUT',
    () => ({}),
    () => import('../src/app/api/organization/retention/route'),
  ],
  [
    '/api/organization/api-keys',
    'POST',
    () => ({}),
    () => import('../src/app/api/organization/api-keys/route'),
  ],
  [
    '/api/organization/invitations',
    'POST',
    () => ({}),
    () => import('../src/app/api/organization/invitations/route'),
  ],
  [
    '/api/organization/users/:id',
    'PUT',
    () => ({ id: ids.member! }),
    () => import('../src/app/api/organization/users/[id]/route'),
  ],
  [
    '/api/invitations/:token',
    'POST',
    () => ({ token: 'x'.repeat(43) }),
    () => import('../src/app/api/invitations/[token]/route'),
  ],
  [
    '/api/auth/password-reset/request',
    'POST',
    () => ({}),
    () => import('../src/app/api/auth/password-reset/request/route'),
  ],
  [
    '/api/auth/password-reset/complete',
    'POST',
    () => ({}),
    () => import('../src/app/api/auth/password-reset/complete/route'),
  ],
  ['/api/onboard', 'POST', () => ({}), () => import('../src/app/api/onboard/route')],
  ['/api/onboard/preview', 'POST', () => ({}), () => import('../src/app/api/onboard/preview/route')],
  ['/api/onboard/snapshot', 'POST', () => ({}), () => import('../src/app/api/onboard/snapshot/route')],
];

/** What a rejected request must leave as it was. */
const snapshot = () =>
  Promise.all([
    prisma.rule.findMany({ orderBy: { id: 'asc' } }),
    prisma.actuationCommand.count(),
    prisma.actuator.findMany({ orderBy: { id: 'asc' } }),
    prisma.reading.findMany({ orderBy: { id: 'asc' }, select: { id: true, status: true, value: true } }),
    prisma.alarm.findMany({ orderBy: { id: 'asc' }, select: { id: true, status: true } }),
    prisma.notificationPreference.count(),
    prisma.pushDevice.count(),
    prisma.webPushSubscription.count(),
    prisma.organization.findMany({ select: { deviceNetworks: true, photoRetentionDays: true, readingRetentionDays: true } }),
    prisma.apiKey.count(),
    prisma.meter.count(),
    prisma.auditLog.count(),
    prisma.user.findMany({ orderBy: { id: 'asc' }, select: { id: true, role: true, deactivatedAt: true } }),
    prisma.invitation.count(),
    prisma.passwordReset.count(),
  ]);

// Bodies of any JSON shape, objects with the fields these routes know, and text that is not JSON.
const fieldNames = [
  'type',
  'config',
  'severity',
  'command',
  'until',
  'status',
  'value',
  'token',
  'endpoint',
  'keys',
  'networks',
  'name',
  'scopes',
  'layout',
  'image',
  'decimals',
  'camera',
  'snapshotUrl',
  'channels',
  'meterId',
  'group',
  'email',
  'role',
  'locale',
  'active',
  'password',
  'photoRetentionDays',
  'readingRetentionDays',
];
const body = fc.oneof(
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.dictionary(fc.constantFrom(...fieldNames), fc.jsonValue(), { maxKeys: 6 }).map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 200 }),
);

describe('every portal body under arbitrary input', () => {
  it.each(routes)(
    '%s %s: no 5xx, and a refused request changes nothing',
    async (url, method, params, load) => {
      const handler = (await load())[method] as Handler;
      await fc.assert(
        fc.asyncProperty(body, async (text) => {
          const before = await snapshot();
          const request = new Request(`http://portal.test${url}`, {
            method,
            headers: {
              'content-type': 'application/json',
              cookie,
              origin: 'http://portal.test',
              host: 'portal.test',
            },
            body: text,
          });
          const res = await handler(request, { params: Promise.resolve(params()) });
          expect(res.status, text).toBeLessThan(500);
          if (res.status >= 400) expect(await snapshot(), text).toEqual(before);
        }),
        { numRuns: 25, seed: 7 },
      );
    },
    120_000,
  );
});
