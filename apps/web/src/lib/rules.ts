import { z } from 'zod';
import { findOrgActuatorNames, findOrgMeterTargets, findOrgRulesWithMeter } from '@metertwin/alarms';
import type { PrismaClient, Severity } from '@metertwin/db';
import { RuleActionSchema } from '@metertwin/rules';
import { ruleRegistry } from './rule-registry';

/** The rule types a rule may have, for the form: the same registry notify evaluates with. */
export async function ruleTypes(): Promise<{ type: string; description: string }[]> {
  return (await ruleRegistry()).list().map((p) => ({ type: p.type, description: p.description }));
}

export interface RuleRow {
  id: string;
  type: string;
  meterId: string | null;
  group: string | null;
  config: Record<string, unknown>;
  severity: Severity;
  enabled: boolean;
  actions: { type: 'actuate'; actuatorId: string; command: string; on: 'raise' | 'clear' }[];
  meter: { id: string; name: string } | null;
}

export async function listRules(prisma: PrismaClient, orgId: string): Promise<RuleRow[]> {
  const rows = await findOrgRulesWithMeter(prisma, orgId);
  return rows.map((r) => ({
    id: r.id,
    type: r.type,
    meterId: r.meterId,
    group: r.group,
    config: r.config as Record<string, unknown>,
    severity: r.severity,
    enabled: r.enabled,
    // Stored actions were validated when saved; anything unreadable shows as none.
    actions: z.array(RuleActionSchema).catch([]).parse(r.actions),
    meter: r.meter,
  }));
}

/** What the rule form chooses from: the organization's meters, their groups and actuators. */
export async function ruleFormChoices(prisma: PrismaClient, orgId: string) {
  const [meters, actuators] = await Promise.all([
    findOrgMeterTargets(prisma, orgId),
    findOrgActuatorNames(prisma, orgId),
  ]);
  const groups = [...new Set(meters.map((m) => m.group).filter((g): g is string => !!g))].sort();
  return {
    meters: meters.map((m) => ({ id: m.id, name: m.name })),
    groups,
    actuators,
    types: await ruleTypes(),
  };
}
