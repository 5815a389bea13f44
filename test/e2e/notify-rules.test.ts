import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { RulePlugin } from '@metertwin/rules';
import { createOrgAndMeter, insertReadings, notifyReadings, startNotifyHarness, type NotifyHarness } from './notify-harness.js';

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

    const refused = await harness.api('POST', '/v1/rules', { orgId, group: 'north', type: 'threshold', config: { above: 'high' } });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toMatch(/above/);
    expect((await harness.api('POST', '/v1/rules', { orgId, group: 'north', type: 'no-such-rule', config: {} })).body.message).toMatch(/unknown rule type "no-such-rule"/);
    expect((await harness.api('POST', '/v1/rules', { orgId, meterId: north.id, group: 'north', type: 'threshold', config: { above: 1 } })).status).toBe(400);
    // No timeZone: each meter's zone applies at evaluation, so the API accepts it.
    expect((await harness.api('POST', '/v1/rules', { orgId, group: 'north', type: 'consumption', config: { period: 'day', above: 1000 } })).status).toBe(201);
    const created = await harness.api('POST', '/v1/rules', { orgId, group: 'north', type: 'threshold', config: { above: 100 }, severity: 'minor' });
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

    const listed = await harness.api('GET', `/v1/rules?orgId=${orgId}&group=north`);
    expect(listed.body.map((r: { type: string }) => r.type)).toEqual(['consumption', 'threshold']);
    const patched = await harness.api('PATCH', `/v1/rules/${created.body.id}`, { config: { above: 200 }, enabled: false });
    expect(patched.body).toMatchObject({ config: { above: 200 }, enabled: false });
    expect((await harness.api('PATCH', `/v1/rules/${created.body.id}`, { config: { below: 'x' } })).status).toBe(400);
    expect((await harness.api('DELETE', `/v1/rules/${created.body.id}`)).status).toBe(204);
    expect((await harness.api('GET', `/v1/rules/${created.body.id}`)).status).toBe(404);
    const types = await harness.api('GET', '/v1/rules/types');
    expect(types.body.map((t: { type: string }) => t.type)).toContain('continuous-flow');
    expect(types.body.map((t: { type: string }) => t.type)).toContain('test/seen-readings');
  });

  it('refuses the API without the admin token', async () => {
    const res = await fetch(`${harness.url}/v1/rules?orgId=00000000-0000-4000-8000-000000000000`);
    expect(res.status).toBe(401);
  });
});
