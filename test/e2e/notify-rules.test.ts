import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createApiKey, revokeApiKey } from '@metertwin/db';
import type { RulePlugin } from '@metertwin/rules';
import { ADMIN_TOKEN, createOrgAndMeter, insertReadings, notifyReadings, startNotifyHarness, type NotifyHarness } from './notify-harness.js';

const MINUTE = 60_000;

/**
 * Read-modify-write of its state on every reading (a set of the reading ids it saw): two evaluations
 * of one meter at once would each write their own set and lose the other's reading.
 */
const seenReadingsRule: RulePlugin<{ note?: string }, { seen: string[] }> = {
  type: 'test/seen-readings',
  description: 'remembers every reading id it saw',
  configSchema: z.object({ note: z.string().optional() }),
  stateSchema: z.object({ seen: z.array(z.string()) }),
  historyWindow: () => 0,
  evaluate({ reading, state }) {
    if (!reading) return { state: 'skip' };
    return { state: 'skip', nextState: { seen: [...new Set([...(state?.seen ?? []), reading.id])].sort() } };
  },
};

describe('notify rules: one evaluation per meter at a time, rules per group, the rules API', () => {
  let harness: NotifyHarness;

  beforeAll(async () => {
    harness = await startNotifyHarness({ RULE_TICK_MS: '200' }, { rulePlugins: [seenReadingsRule] });
  });
  afterAll(async () => {
    await harness?.stop();
  });

  it('serialises concurrent reading jobs and timer ticks of one meter: no rule state update is lost', async () => {
    const { orgId, meter } = await createOrgAndMeter(harness.prisma, 'race');
    const rule = await harness.prisma.rule.create({ data: { orgId, meterId: meter.id, type: 'test/seen-readings', config: {} } });
    // A no-reading rule on the same meter keeps the 200 ms timer evaluating it in between.
    await harness.prisma.rule.create({ data: { orgId, meterId: meter.id, type: 'no-reading', config: { minutes: 1 } } });
    const start = Date.now() - 60 * MINUTE;
    const rows = await insertReadings(
      harness.prisma,
      meter.id,
      Array.from({ length: 40 }, (_, i) => ({ takenAt: new Date(start + i * MINUTE), value: 10 + i / 100 })),
    );
    // 40 jobs at once, 4 at a time on this worker.
    await notifyReadings(harness, meter.id, rows);
    const state = await harness.prisma.ruleState.findUniqueOrThrow({ where: { ruleId_meterId: { ruleId: rule.id, meterId: meter.id } } });
    expect((state.state as { seen: string[] }).seen).toEqual(rows.map((r) => r.id).sort());
  });

  it('applies a group rule to the meters of that group only, created through the API with its config validated', async () => {
    const { orgId, meter: north } = await createOrgAndMeter(harness.prisma, 'groups', { group: 'north' });
    const south = await harness.prisma.meter.create({ data: { orgId, name: 'south meter', digits: 8, decimals: 3, group: 'south' } });

    const refused = await harness.api(orgId, 'POST', '/v1/rules', { group: 'north', type: 'threshold', config: { above: 'high' } });
    expect(refused.status).toBe(400);
    // Nest's body, plus the portal's code and field issues (the portal words them in Korean and English).
    expect(refused.body).toMatchObject({
      statusCode: 400,
      error: 'Bad Request',
      message: expect.stringMatching(/^config for threshold: above:/),
      code: 'invalid-fields',
      issues: [{ field: 'config.above', code: 'wrong-type', params: { expected: 'number' } }],
    });
    const unknown = await harness.api(orgId, 'POST', '/v1/rules', { group: 'north', type: 'no-such-rule', config: {} });
    expect(unknown.body).toMatchObject({ message: expect.stringMatching(/unknown rule type "no-such-rule"/), code: 'unknown-rule-type', params: { type: 'no-such-rule' } });
    const both = await harness.api(orgId, 'POST', '/v1/rules', { meterId: north.id, group: 'north', type: 'threshold', config: { above: 1 } });
    expect(both).toMatchObject({ status: 400, body: { code: 'invalid-fields', issues: [{ path: 'group', message: 'a rule targets a meter or a group, not both', field: 'group', code: 'rule-meter-and-group' }] } });
    expect((await harness.api(orgId, 'GET', '/v1/rules/00000000-0000-4000-8000-000000000000')).body).toMatchObject({ statusCode: 404, code: 'rule-not-found' });
    expect((await harness.api(orgId, 'GET', '/v1/rules/not-an-id')).body).toMatchObject({ statusCode: 400, code: 'not-a-uuid' });
    const keyless = await fetch(`${harness.url}/v1/rules`);
    expect({ status: keyless.status, body: await keyless.json() }).toMatchObject({ status: 401, body: { code: 'api-key-required' } });
    // No timeZone: each meter's zone applies at evaluation, so the API accepts it.
    expect((await harness.api(orgId, 'POST', '/v1/rules', { group: 'north', type: 'consumption', config: { period: 'day', above: 1000 } })).status).toBe(201);
    const created = await harness.api(orgId, 'POST', '/v1/rules', { group: 'north', type: 'threshold', config: { above: 100 }, severity: 'minor' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ orgId, meterId: null, group: 'north', type: 'threshold', severity: 'minor', enabled: true, actions: [] });

    const at = new Date();
    const [northReading] = await insertReadings(harness.prisma, north.id, [{ takenAt: at, value: 150 }]);
    const [southReading] = await insertReadings(harness.prisma, south.id, [{ takenAt: at, value: 150 }]);
    await notifyReadings(harness, north.id, [northReading!]);
    await notifyReadings(harness, south.id, [southReading!]);
    expect(await harness.prisma.alarm.findMany({ where: { orgId }, select: { meterId: true, type: true, severity: true } })).toEqual([
      { meterId: north.id, type: 'threshold', severity: 'minor' },
    ]);

    const listed = await harness.api(orgId, 'GET', `/v1/rules?group=north`);
    expect(listed.body.map((r: { type: string }) => r.type)).toEqual(['consumption', 'threshold']);
    const patched = await harness.api(orgId, 'PATCH', `/v1/rules/${created.body.id}`, { config: { above: 200 }, enabled: false });
    expect(patched.body).toMatchObject({ config: { above: 200 }, enabled: false });
    expect((await harness.api(orgId, 'PATCH', `/v1/rules/${created.body.id}`, { config: { below: 'x' } })).status).toBe(400);
    expect((await harness.api(orgId, 'DELETE', `/v1/rules/${created.body.id}`)).status).toBe(204);
    expect((await harness.api(orgId, 'GET', `/v1/rules/${created.body.id}`)).status).toBe(404);
    // Audited like the portal's changes (the same alarms package), to the API key that made them.
    const key = await harness.prisma.apiKey.findFirstOrThrow({ where: { orgId } });
    const audit = await harness.prisma.auditLog.findMany({ where: { entityType: 'rule', entityId: created.body.id }, orderBy: { at: 'asc' } });
    expect(audit.map((a) => [a.action, a.actorType, a.actorId, a.orgId])).toEqual([
      ['rule.created', 'api-key', key.id, orgId],
      ['rule.updated', 'api-key', key.id, orgId],
      ['rule.deleted', 'api-key', key.id, orgId],
    ]);
    expect(audit[1]!.data).toMatchObject({ before: { config: { above: 100 }, enabled: true }, after: { config: { above: 200 }, enabled: false } });
    const types = await harness.api(orgId, 'GET', '/v1/rules/types');
    expect(types.body.map((t: { type: string }) => t.type)).toContain('continuous-flow');
    expect(types.body.map((t: { type: string }) => t.type)).toContain('test/seen-readings');
  });

  it('answers an organization API key with its own organization only', async () => {
    const { orgId: a, meter: meterA } = await createOrgAndMeter(harness.prisma, 'keys-a');
    const { orgId: b } = await createOrgAndMeter(harness.prisma, 'keys-b');
    const ruleA = (await harness.api(a, 'POST', '/v1/rules', { meterId: meterA.id, type: 'threshold', config: { above: 5 } })).body;
    // Another organization's key: not found, not listed, cannot target A's meter.
    expect((await harness.api(b, 'GET', `/v1/rules/${ruleA.id}`)).status).toBe(404);
    expect((await harness.api(b, 'PATCH', `/v1/rules/${ruleA.id}`, { enabled: false })).status).toBe(404);
    expect((await harness.api(b, 'DELETE', `/v1/rules/${ruleA.id}`)).status).toBe(404);
    expect((await harness.api(b, 'GET', '/v1/rules')).body).toEqual([]);
    expect((await harness.api(b, 'POST', '/v1/rules', { meterId: meterA.id, type: 'threshold', config: { above: 5 } })).status).toBe(400);
    expect((await harness.prisma.rule.findUniqueOrThrow({ where: { id: ruleA.id } })).enabled).toBe(true);

    const call = (token: string | undefined, method = 'GET', body?: unknown) =>
      fetch(`${harness.url}/v1/rules`, {
        method,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
    const readOnly = await createApiKey(harness.prisma, { orgId: a, name: 'dashboard', scopes: ['read'] });
    expect((await call(readOnly.token)).status).toBe(200);
    const write = await call(readOnly.token, 'POST', { type: 'threshold', config: { above: 1 } });
    expect([write.status, ((await write.json()) as { message: string }).message]).toEqual([403, 'this API key lacks the "write" scope']);
    // Revoked: refused on the very next request.
    expect(await revokeApiKey(harness.prisma, a, readOnly.key.id)).toBe(true);
    expect((await call(readOnly.token)).status).toBe(401);
    expect((await call(undefined)).status).toBe(401);
    expect((await call(ADMIN_TOKEN)).status).toBe(401);
    // The key is stored only as its hash.
    const row = await harness.prisma.apiKey.findUniqueOrThrow({ where: { id: readOnly.key.id } });
    expect(JSON.stringify(row)).not.toContain(readOnly.token);
    expect(readOnly.token.startsWith(row.prefix)).toBe(true);
  });
});
