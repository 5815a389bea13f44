import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActuationJobSchema, QueueName } from '@metertwin/contracts';
import { createPrismaClient, type PrismaClient } from '@metertwin/db';
import { createTestDatabase, uniqueQueuePrefix, type TestDatabase } from '@metertwin/testing';
import { listActuators } from '../src/lib/actuators';
import { createOrg } from './fixtures';
import { apiRequest, createUser, sessionCookie, type TestUser } from './support/auth';

type RulesRoute = typeof import('../src/app/api/rules/route');
type RuleRoute = typeof import('../src/app/api/rules/[id]/route');
type CommandsRoute = typeof import('../src/app/api/actuators/[id]/commands/route');
type OverrideRoute = typeof import('../src/app/api/actuators/[id]/override/route');
type ActuatorsRoute = typeof import('../src/app/api/actuators/route');
type ActuatorRoute = typeof import('../src/app/api/actuators/[id]/route');

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
let rules: RulesRoute;
let rule: RuleRoute;
let commands: CommandsRoute;
let override: OverrideRoute;
let actuators: ActuatorsRoute;
let actuatorRoute: ActuatorRoute;
let closeActuationQueue: () => Promise<void>;
let db: TestDatabase;
let prisma: PrismaClient;
let queue: Queue;
let orgId: string;
let meterId: string;
let actuatorId: string;
let operator: TestUser;
let operatorCookie: string;
let viewerCookie: string;
let admin: TestUser;
let adminCookie: string;

beforeAll(async () => {
  db = await createTestDatabase();
  const prefix = uniqueQueuePrefix();
  Object.assign(process.env, { DATABASE_URL: db.url, REDIS_URL, QUEUE_PREFIX: prefix, STORAGE_DIR: '/tmp' });
  rules = await import('../src/app/api/rules/route');
  rule = await import('../src/app/api/rules/[id]/route');
  commands = await import('../src/app/api/actuators/[id]/commands/route');
  override = await import('../src/app/api/actuators/[id]/override/route');
  actuators = await import('../src/app/api/actuators/route');
  actuatorRoute = await import('../src/app/api/actuators/[id]/route');
  ({ closeActuationQueue } = await import('../src/lib/actuators'));
  prisma = createPrismaClient(db.url);
  // What notify's actuation worker consumes: the contracts' queue name under the services' prefix.
  queue = new Queue(QueueName.Actuation, { connection: { url: REDIS_URL }, prefix });
  orgId = await createOrg(prisma);
  meterId = (
    await prisma.meter.create({ data: { orgId, name: 'Block A main', digits: 5, group: 'block-a' } })
  ).id;
  actuatorId = (
    await prisma.actuator.create({
      data: {
        orgId,
        meterId,
        name: 'Valve A',
        kind: 'http',
        config: { url: 'http://valve.test', method: 'POST' },
      },
    })
  ).id;
  operator = await createUser(prisma, { orgId, role: 'operator' });
  operatorCookie = await sessionCookie(prisma, operator.id);
  viewerCookie = await sessionCookie(prisma, (await createUser(prisma, { orgId, role: 'viewer' })).id);
  admin = await createUser(prisma, { orgId, role: 'admin' });
  adminCookie = await sessionCookie(prisma, admin.id);
});

afterAll(async () => {
  const g = globalThis as { __mtPrisma?: PrismaClient };
  await closeActuationQueue?.();
  await queue?.obliterate({ force: true }).catch(() => {});
  await queue?.close();
  await g.__mtPrisma?.$disconnect();
  await prisma?.$disconnect();
  await db?.drop();
});

const params = (id: string) => ({ params: Promise.resolve({ id }) });
const post = (json: unknown, cookie: string | null = operatorCookie) =>
  rules.POST(apiRequest('/api/rules', { cookie, method: 'POST', json }));

const groupRule = {
  type: 'threshold',
  group: 'block-a',
  config: { above: 90000 },
  severity: 'critical',
  actions: [{ type: 'actuate', actuatorId: '', command: 'close' }],
};

describe('rules API', () => {
  it('creates a group rule with a close-valve action, audited; lists it for a viewer', async () => {
    const res = await post({ ...groupRule, actions: [{ type: 'actuate', actuatorId, command: 'close' }] });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { id: string };
    const row = await prisma.rule.findUniqueOrThrow({ where: { id: created.id } });
    expect(row).toMatchObject({
      orgId,
      meterId: null,
      group: 'block-a',
      type: 'threshold',
      config: { above: 90000 },
      severity: 'critical',
      enabled: true,
      actions: [{ type: 'actuate', actuatorId, command: 'close', on: 'raise' }],
    });
    const audit = await prisma.auditLog.findMany({ where: { entityId: created.id } });
    expect(audit.map((a) => [a.action, a.actorId, a.entityType])).toEqual([
      ['rule.created', operator.id, 'rule'],
    ]);

    const list = await rules.GET(apiRequest('/api/rules', { cookie: viewerCookie }));
    expect(list.status).toBe(200);
    const { rules: listed } = (await list.json()) as { rules: { id: string; group: string }[] };
    expect(listed.map((r) => [r.id, r.group])).toEqual([[created.id, 'block-a']]);
  });

  it('refuses a config the type’s schema refuses, with its message, and stores nothing', async () => {
    const before = await prisma.rule.count();
    const res = await post({ ...groupRule, actions: [], config: {} });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe(
      'config for threshold: (config): set "above", "below" or both',
    );
    const unknown = await post({ ...groupRule, actions: [], type: 'no-such-rule' });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { error: string }).error).toMatch(
      /^unknown rule type "no-such-rule"; known: threshold/,
    );
    expect(await prisma.rule.count()).toBe(before);
  });

  it('edits and deletes a meter rule, each audited', async () => {
    const res = await post({ type: 'no-reading', meterId, config: { minutes: 60 } });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    const put = await rule.PUT(
      apiRequest(`/api/rules/${id}`, {
        cookie: operatorCookie,
        method: 'PUT',
        json: { type: 'no-reading', meterId, config: { minutes: 120 }, enabled: false, severity: 'minor' },
      }),
      params(id),
    );
    expect(put.status).toBe(200);
    expect(await prisma.rule.findUniqueOrThrow({ where: { id } })).toMatchObject({
      config: { minutes: 120 },
      enabled: false,
      severity: 'minor',
    });
    const del = await rule.DELETE(
      apiRequest(`/api/rules/${id}`, { cookie: operatorCookie, method: 'DELETE' }),
      params(id),
    );
    expect(del.status).toBe(204);
    expect(await prisma.rule.findUnique({ where: { id } })).toBeNull();
    const audit = await prisma.auditLog.findMany({ where: { entityId: id }, orderBy: { at: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual(['rule.created', 'rule.updated', 'rule.deleted']);
    expect((audit[1]!.data as { before: { config: unknown } }).before.config).toEqual({ minutes: 60 });
  });

  it('403 for a viewer; 404 for another organization’s rule, meter or actuator', async () => {
    const forbidden = await post({ ...groupRule, actions: [] }, viewerCookie);
    expect(forbidden.status).toBe(403);
    expect((await post({ ...groupRule, actions: [] }, null)).status).toBe(401);

    const otherOrg = await createOrg(prisma);
    const theirMeter = (await prisma.meter.create({ data: { orgId: otherOrg, name: 'Theirs', digits: 5 } }))
      .id;
    const theirActuator = (
      await prisma.actuator.create({
        data: { orgId: otherOrg, name: 'Their valve', kind: 'http', config: {} },
      })
    ).id;
    const theirRule = (
      await prisma.rule.create({ data: { orgId: otherOrg, type: 'threshold', config: { above: 1 } } })
    ).id;
    const body = { type: 'threshold', config: { above: 5 } };
    const put = await rule.PUT(
      apiRequest(`/api/rules/${theirRule}`, { cookie: operatorCookie, method: 'PUT', json: body }),
      params(theirRule),
    );
    expect(put.status).toBe(404);
    const del = await rule.DELETE(
      apiRequest(`/api/rules/${theirRule}`, { cookie: operatorCookie, method: 'DELETE' }),
      params(theirRule),
    );
    expect(del.status).toBe(404);
    expect(await prisma.rule.findUniqueOrThrow({ where: { id: theirRule } })).toMatchObject({
      config: { above: 1 },
    });
    expect((await post({ ...body, meterId: theirMeter })).status).toBe(404);
    const withTheirValve = await post({
      ...body,
      actions: [{ type: 'actuate', actuatorId: theirActuator, command: 'close' }],
    });
    expect(withTheirValve.status).toBe(404);
    expect(await prisma.rule.count({ where: { orgId } })).toBe(1);
  });
});

describe('actuators API', () => {
  const command = (id: string, json: unknown, cookie: string | null = operatorCookie) =>
    commands.POST(apiRequest(`/api/actuators/${id}/commands`, { cookie, method: 'POST', json }), params(id));
  const setOverride = (id: string, json: unknown, cookie: string | null = operatorCookie) =>
    override.PUT(apiRequest(`/api/actuators/${id}/override`, { cookie, method: 'PUT', json }), params(id));

  it('a manual close: the command row, its audit row and an actuation job with the command id', async () => {
    const res = await command(actuatorId, { command: 'close' });
    expect(res.status).toBe(202);
    const sent = (await res.json()) as { id: string; queued: boolean };
    expect(sent.queued).toBe(true);
    expect(await prisma.actuationCommand.findUniqueOrThrow({ where: { id: sent.id } })).toMatchObject({
      actuatorId,
      command: 'close',
      requestedBy: `user:${operator.id}`,
      status: 'pending',
    });
    const job = await queue.getJob(sent.id);
    expect(job?.name).toBe(QueueName.Actuation);
    expect(ActuationJobSchema.parse(job?.data)).toEqual({ v: 1, commandId: sent.id });
    const audit = await prisma.auditLog.findMany({
      where: { entityId: actuatorId, action: 'actuation.requested' },
    });
    expect(audit.map((a) => [a.actorId, (a.data as { commandId: string }).commandId])).toEqual([
      [operator.id, sent.id],
    ]);
    // The page lists it under the actuator, with the person's name.
    const [listed] = await listActuators(prisma, orgId);
    expect(listed!.commands.map((c) => [c.id, c.status, c.requestedBy])).toEqual([
      [sent.id, 'pending', operator.name],
    ]);
  });

  it('refuses a viewer, an unknown command and another organization’s actuator', async () => {
    const jobsBefore = await queue.count();
    expect((await command(actuatorId, { command: 'close' }, viewerCookie)).status).toBe(403);
    expect((await command(actuatorId, { command: 'explode' })).status).toBe(400);
    const otherOrg = await createOrg(prisma);
    const theirs = (
      await prisma.actuator.create({ data: { orgId: otherOrg, name: 'X', kind: 'http', config: {} } })
    ).id;
    expect((await command(theirs, { command: 'open' })).status).toBe(404);
    expect((await setOverride(theirs, { until: null })).status).toBe(404);
    expect(await prisma.actuationCommand.count({ where: { actuatorId: theirs } })).toBe(0);
    expect(await queue.count()).toBe(jobsBefore);
  });

  it('sets and lifts the manual override, audited; a past time is refused', async () => {
    const until = new Date(Date.now() + 3600_000);
    const res = await setOverride(actuatorId, { until: until.toISOString() });
    expect(res.status).toBe(200);
    expect((await prisma.actuator.findUniqueOrThrow({ where: { id: actuatorId } })).overrideUntil).toEqual(
      until,
    );
    expect((await setOverride(actuatorId, { until: '2000-01-01T00:00:00Z' })).status).toBe(400);
    expect((await setOverride(actuatorId, { until: null }, viewerCookie)).status).toBe(403);
    expect((await setOverride(actuatorId, { until: null })).status).toBe(200);
    expect((await prisma.actuator.findUniqueOrThrow({ where: { id: actuatorId } })).overrideUntil).toBeNull();
    const audit = await prisma.auditLog.findMany({
      where: { entityId: actuatorId, action: { startsWith: 'actuator.override' } },
      orderBy: { at: 'asc' },
    });
    expect(audit.map((a) => [a.action, a.actorId, (a.data as { until: string | null }).until])).toEqual([
      ['actuator.override.set', operator.id, until.toISOString()],
      ['actuator.override.lifted', operator.id, null],
    ]);
  });
});

describe('actuators managed in the portal', () => {
  const create = (json: unknown, cookie: string | null = adminCookie) =>
    actuators.POST(apiRequest('/api/actuators', { cookie, method: 'POST', json }));
  const remove = (id: string, cookie: string | null = adminCookie) =>
    actuatorRoute.DELETE(apiRequest(`/api/actuators/${id}`, { cookie, method: 'DELETE' }), params(id));
  const mqttValve = {
    name: 'Valve B',
    meterId: null as string | null,
    kind: 'mqtt',
    config: { url: 'mqtt://10.0.0.5:1883', commandTopic: 'valves/b/set', stateTopic: 'valves/b/state', username: 'valve', password: 'broker-secret' },
  };

  it('adds an MQTT actuator with its password sealed, answered redacted, audited without it', async () => {
    const res = await create({ ...mqttValve, meterId });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { id: string; config: { password: string } };
    expect(created.config.password).toBe('[sealed]');
    const row = await prisma.actuator.findUniqueOrThrow({ where: { id: created.id } });
    expect(row).toMatchObject({ orgId, meterId, name: 'Valve B', kind: 'mqtt' });
    const stored = row.config as { password: string; commandTopic: string };
    expect(stored.commandTopic).toBe('valves/b/set');
    expect(stored.password).not.toContain('broker-secret');
    const audit = await prisma.auditLog.findMany({ where: { entityId: created.id } });
    expect(audit.map((a) => [a.action, a.actorId])).toEqual([['actuator.created', admin.id]]);
    expect(JSON.stringify(audit[0]!.data)).not.toContain('broker-secret');
  });

  it('refuses a bad config, another organization’s meter and a non-admin, storing nothing', async () => {
    const before = await prisma.actuator.count();
    const wildcard = await create({ ...mqttValve, config: { ...mqttValve.config, commandTopic: 'valves/#' } });
    expect(wildcard.status).toBe(400);
    expect(JSON.stringify(await wildcard.json())).toContain('a command topic has no wildcards');
    expect((await create({ ...mqttValve, kind: 'http', config: { url: 'ftp://valve.test' } })).status).toBe(400);
    const theirMeter = (await prisma.meter.create({ data: { orgId: await createOrg(prisma), name: 'Theirs', digits: 5 } })).id;
    expect((await create({ ...mqttValve, meterId: theirMeter })).status).toBe(404);
    expect((await create(mqttValve, operatorCookie)).status).toBe(403);
    expect((await create(mqttValve, null)).status).toBe(401);
    expect(await prisma.actuator.count()).toBe(before);
  });

  it('deletes an actuator with its commands (admin), audited; 404 for another organization’s', async () => {
    const { id } = (await (await create({ name: 'Valve C', kind: 'http', config: { url: 'https://valve-c.test/command' } })).json()) as { id: string };
    await prisma.actuationCommand.create({ data: { actuatorId: id, command: 'close', requestedBy: `user:${admin.id}` } });
    expect((await remove(id, operatorCookie)).status).toBe(403);
    expect((await remove(id)).status).toBe(204);
    expect(await prisma.actuator.findUnique({ where: { id } })).toBeNull();
    expect(await prisma.actuationCommand.count({ where: { actuatorId: id } })).toBe(0);
    const audit = await prisma.auditLog.findMany({ where: { entityId: id }, orderBy: { at: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual(['actuator.created', 'actuator.deleted']);

    const theirs = (await prisma.actuator.create({ data: { orgId: await createOrg(prisma), name: 'Their valve', kind: 'http', config: {} } })).id;
    expect((await remove(theirs)).status).toBe(404);
    expect(await prisma.actuator.findUnique({ where: { id: theirs } })).not.toBeNull();
  });
});
