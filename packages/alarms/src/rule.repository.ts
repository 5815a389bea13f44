import type { Prisma, PrismaClient, Rule, Severity } from '@metertwin/db';
import { rulesForMeter, type ScopedMeter } from './rule-scope.js';

/** Data access of the rule aggregate (its state and evaluation are notify's evaluator's). */

/** The stored fields of a rule, as written and as audited. */
export interface RuleFields {
  type: string;
  meterId: string | null;
  group: string | null;
  config: unknown;
  severity: Severity;
  enabled: boolean;
  actions: unknown;
}

export function ruleFields(rule: RuleFields) {
  return {
    type: rule.type,
    meterId: rule.meterId,
    group: rule.group,
    config: rule.config as Prisma.InputJsonValue,
    severity: rule.severity,
    enabled: rule.enabled,
    actions: rule.actions as Prisma.InputJsonValue,
  };
}

export function insertRule(db: Prisma.TransactionClient, orgId: string, fields: RuleFields): Promise<Rule> {
  return db.rule.create({ data: { orgId, ...ruleFields(fields) } });
}

export function findOrgRule(db: Prisma.TransactionClient, orgId: string, id: string): Promise<Rule | null> {
  return db.rule.findFirst({ where: { id, orgId } });
}

export function replaceRuleFields(
  db: Prisma.TransactionClient,
  id: string,
  fields: RuleFields,
): Promise<Rule> {
  return db.rule.update({ where: { id }, data: ruleFields(fields) });
}

/** Deletes the rule and its state; its alarms stay, without a rule. */
export async function removeRule(db: Prisma.TransactionClient, id: string): Promise<void> {
  await db.rule.delete({ where: { id } });
}

/** The organization's rules, oldest first, optionally of one meter or one group. */
export function findOrgRules(
  db: PrismaClient,
  orgId: string,
  only: { meterId?: string; group?: string } = {},
): Promise<Rule[]> {
  return db.rule.findMany({ where: { orgId, ...only }, orderBy: { createdAt: 'asc' } });
}

/** The organization's rules with their meter's name, oldest first (the portal's list). */
export function findOrgRulesWithMeter(db: PrismaClient, orgId: string) {
  return db.rule.findMany({
    where: { orgId },
    orderBy: { createdAt: 'asc' },
    include: { meter: { select: { id: true, name: true } } },
  });
}

/** A rule's actions, for running them when its alarm opens or clears; null when the rule is gone. */
export function findRuleActions(
  db: PrismaClient,
  id: string,
): Promise<{ id: string; actions: Prisma.JsonValue } | null> {
  return db.rule.findUnique({ where: { id }, select: { id: true, actions: true } });
}

/** The enabled rules that apply to the meter (rule-scope.ts), oldest first: what a reading is evaluated with. */
export function findRulesForMeter(db: PrismaClient, meter: ScopedMeter): Promise<Rule[]> {
  return db.rule.findMany({ where: rulesForMeter(meter), orderBy: { createdAt: 'asc' } });
}

/** The enabled rules of these types (the timer's), oldest first; with `meterId`, that meter's and the ones without a meter. */
export function findEnabledRulesOfTypes(
  db: PrismaClient,
  types: readonly string[],
  meterId?: string,
): Promise<Rule[]> {
  return db.rule.findMany({
    where: {
      enabled: true,
      type: { in: [...types] },
      ...(meterId ? { OR: [{ meterId }, { meterId: null }] } : {}),
    },
    orderBy: { createdAt: 'asc' },
  });
}
