import type { PrismaClient, Rule } from '@metertwin/db';
import type { RuleRegistry } from '@metertwin/rules';
import type { Actor } from './actor.js';
import { recordAudit } from './audit-log.repository.js';
import { DomainError } from './domain-error.js';
import { areOrgActuators, isOrgMeter } from './org-membership.repository.js';
import { checkRuleConfig } from './rule-config.js';
import type { NewRule, RulePatch } from './rule-input.js';
import {
  findOrgRule,
  insertRule,
  removeRule,
  replaceRuleFields,
  ruleFields,
  type RuleFields,
} from './rule.repository.js';

/**
 * Rules as people and API clients manage them, from the portal or notify's /v1/rules: the config
 * checked by the registry's plugin for its type (so a deployment's plugin rules work in both), the
 * meter and actuators checked to be the organization's, and every change audited with its actor.
 */

/** A meter or actuator of another organization is refused as if it did not exist. */
async function checkReferences(prisma: PrismaClient, orgId: string, rule: RulePatch): Promise<void> {
  if (rule.meterId && !(await isOrgMeter(prisma, orgId, rule.meterId))) {
    throw new DomainError('reference', `meter ${rule.meterId} is not a meter of this organization`, { code: 'meter-not-found' });
  }
  if (
    rule.actions &&
    !(await areOrgActuators(
      prisma,
      orgId,
      rule.actions.map((a) => a.actuatorId),
    ))
  ) {
    throw new DomainError('reference', "an action names an actuator that is not one of the organization's", { code: 'actuator-not-found' });
  }
}

export async function createRule(
  prisma: PrismaClient,
  registry: RuleRegistry,
  actor: Actor,
  input: NewRule,
): Promise<Rule> {
  checkRuleConfig(registry, input.type, input.config);
  await checkReferences(prisma, actor.orgId, input);
  return prisma.$transaction(async (tx) => {
    const rule = await insertRule(tx, actor.orgId, input);
    await recordAudit(tx, actor, 'rule.created', { type: 'rule', id: rule.id }, ruleFields(input));
    return rule;
  });
}

/** Changes the fields the patch has; a new type or config is checked against the (new) type. */
export async function updateRule(
  prisma: PrismaClient,
  registry: RuleRegistry,
  actor: Actor,
  id: string,
  patch: RulePatch,
): Promise<Rule> {
  await checkReferences(prisma, actor.orgId, patch);
  return prisma.$transaction(async (tx) => {
    const before = await findOrgRule(tx, actor.orgId, id);
    if (!before) throw new DomainError('not-found', 'rule not found', { code: 'rule-not-found' });
    const after: RuleFields = { ...before, ...patch };
    if (patch.type !== undefined || patch.config !== undefined)
      checkRuleConfig(registry, after.type, after.config as Record<string, unknown>);
    if (after.meterId && after.group)
      throw new DomainError('invalid', 'a rule targets a meter or a group, not both', { code: 'rule-meter-and-group' });
    const rule = await replaceRuleFields(tx, id, after);
    await recordAudit(
      tx,
      actor,
      'rule.updated',
      { type: 'rule', id },
      { before: ruleFields(before), after: ruleFields(after) },
    );
    return rule;
  });
}

/** Deletes the rule and its state; its alarms stay, without a rule. */
export async function deleteRule(prisma: PrismaClient, actor: Actor, id: string): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const rule = await findOrgRule(tx, actor.orgId, id);
    if (!rule) throw new DomainError('not-found', 'rule not found', { code: 'rule-not-found' });
    await removeRule(tx, id);
    await recordAudit(tx, actor, 'rule.deleted', { type: 'rule', id }, ruleFields(rule));
  });
}
