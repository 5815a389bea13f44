import { z } from 'zod';
import type { Prisma, PrismaClient, Severity } from '@metertwin/db';
import { RuleActionSchema, RuleRegistry } from '@metertwin/rules';
import type { SessionUser } from './auth';

/**
 * Rules from the portal, with the same meaning as notify's /v1/rules API: one meter, one group of
 * meters or every meter of the organization; the config is checked by the rule type's own schema, so
 * a rule that would only fail when evaluated is refused when it is saved.
 */

export const SEVERITIES = ['critical', 'major', 'minor', 'warning'] as const satisfies readonly Severity[];

/** The body of POST /api/rules and PUT /api/rules/:id (an edit replaces every field). */
export const RuleInputSchema = z
  .object({
    type: z.string().min(1).max(100),
    /** One meter, or null with `group` for a group, or both null for every meter. */
    meterId: z.uuid().nullable().default(null),
    group: z.string().trim().min(1).max(200).nullable().default(null),
    config: z.record(z.string(), z.unknown()),
    severity: z.enum(SEVERITIES).default('major'),
    enabled: z.boolean().default(true),
    actions: z.array(RuleActionSchema).max(20).default([]),
  })
  .strict()
  .refine((r) => !(r.meterId && r.group), {
    message: 'a rule targets a meter or a group, not both',
    path: ['group'],
  });
export type RuleInput = z.infer<typeof RuleInputSchema>;

export class RuleError extends Error {
  constructor(
    readonly status: 400 | 404,
    message: string,
  ) {
    super(message);
  }
}

const registry = new RuleRegistry();

/** The rule types a rule may have, for the form. */
export function ruleTypes(): { type: string; description: string }[] {
  return registry.list().map((p) => ({ type: p.type, description: p.description }));
}

/** Checked like notify does: a config without timeZone is valid when it is valid with the meter's zone. */
function checkConfig(type: string, config: Record<string, unknown>): void {
  const plugin = registry.get(type);
  if (!plugin) {
    const known = registry
      .list()
      .map((p) => p.type)
      .join(', ');
    throw new RuleError(400, `unknown rule type "${type}"; known: ${known}`);
  }
  const withMeterZone = 'timeZone' in config ? config : { ...config, timeZone: 'UTC' };
  if (plugin.configSchema.safeParse(withMeterZone).success) return;
  const parsed = plugin.configSchema.safeParse(config);
  if (parsed.success) return;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`);
  throw new RuleError(400, `config for ${type}: ${problems.join('; ')}`);
}

/** Another organization's meter or actuator is refused as if it did not exist. */
async function checkReferences(prisma: PrismaClient, orgId: string, input: RuleInput): Promise<void> {
  if (input.meterId) {
    const meter = await prisma.meter.findFirst({ where: { id: input.meterId, orgId }, select: { id: true } });
    if (!meter) throw new RuleError(404, 'meter not found');
  }
  const ids = [...new Set(input.actions.map((a) => a.actuatorId))];
  if (ids.length > 0 && (await prisma.actuator.count({ where: { orgId, id: { in: ids } } })) !== ids.length) {
    throw new RuleError(404, 'actuator not found');
  }
}

/** The stored fields of a rule (from a body or a row), as written and as audited. */
function ruleData(input: {
  type: string;
  meterId: string | null;
  group: string | null;
  config: unknown;
  severity: Severity;
  enabled: boolean;
  actions: unknown;
}) {
  return {
    type: input.type,
    meterId: input.meterId,
    group: input.group,
    config: input.config as Prisma.InputJsonValue,
    severity: input.severity,
    enabled: input.enabled,
    actions: input.actions as Prisma.InputJsonValue,
  };
}

async function audit(
  tx: Prisma.TransactionClient,
  user: SessionUser,
  action: string,
  ruleId: string,
  data: Prisma.InputJsonValue,
) {
  await tx.auditLog.create({
    data: {
      orgId: user.orgId,
      actorType: 'user',
      actorId: user.id,
      action,
      entityType: 'rule',
      entityId: ruleId,
      data,
    },
  });
}

export async function createRule(prisma: PrismaClient, user: SessionUser, input: RuleInput) {
  checkConfig(input.type, input.config);
  await checkReferences(prisma, user.orgId, input);
  return prisma.$transaction(async (tx) => {
    const rule = await tx.rule.create({ data: { orgId: user.orgId, ...ruleData(input) } });
    await audit(tx, user, 'rule.created', rule.id, ruleData(input));
    return rule;
  });
}

export async function updateRule(prisma: PrismaClient, user: SessionUser, id: string, input: RuleInput) {
  checkConfig(input.type, input.config);
  await checkReferences(prisma, user.orgId, input);
  return prisma.$transaction(async (tx) => {
    const before = await tx.rule.findFirst({ where: { id, orgId: user.orgId } });
    if (!before) throw new RuleError(404, 'rule not found');
    const rule = await tx.rule.update({ where: { id }, data: ruleData(input) });
    await audit(tx, user, 'rule.updated', id, {
      before: ruleData(before),
      after: ruleData(input),
    });
    return rule;
  });
}

/** Deletes the rule and its state; its alarms stay, without a rule (as in notify). */
export async function deleteRule(prisma: PrismaClient, user: SessionUser, id: string): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const rule = await tx.rule.findFirst({ where: { id, orgId: user.orgId } });
    if (!rule) throw new RuleError(404, 'rule not found');
    await tx.rule.delete({ where: { id } });
    await audit(tx, user, 'rule.deleted', id, ruleData(rule));
  });
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
  const rows = await prisma.rule.findMany({
    where: { orgId },
    orderBy: { createdAt: 'asc' },
    include: { meter: { select: { id: true, name: true } } },
  });
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
    prisma.meter.findMany({
      where: { orgId },
      orderBy: { name: 'asc' },
      select: { id: true, name: true, group: true },
    }),
    prisma.actuator.findMany({
      where: { orgId },
      orderBy: { name: 'asc' },
      select: { id: true, name: true },
    }),
  ]);
  const groups = [...new Set(meters.map((m) => m.group).filter((g): g is string => !!g))].sort();
  return { meters: meters.map((m) => ({ id: m.id, name: m.name })), groups, actuators, types: ruleTypes() };
}
