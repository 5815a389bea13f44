import { deleteRule, findOrgRule, updateRule } from '@metertwin/alarms';
import { operations } from '@metertwin/public-api';
import { NotFound } from '../../../../../lib/api-v1/errors';
import { ruleOut } from '../../../../../lib/api-v1/representations';
import { v1Route } from '../../../../../lib/api-v1/route';
import { ruleRegistry } from '../../../../../lib/rule-registry';
import { prisma } from '../../../../../lib/server';

export const dynamic = 'force-dynamic';

export const GET = v1Route(operations.getRule, async ({ grant, params }) => {
  const rule = await findOrgRule(prisma(), grant.orgId, params.id);
  if (!rule) throw new NotFound('rule');
  return ruleOut(rule);
});

export const PATCH = v1Route(operations.updateRule, async ({ actor, params, body }) =>
  ruleOut(await updateRule(prisma(), await ruleRegistry(), actor, params.id, body)),
);

export const DELETE = v1Route(operations.deleteRule, ({ actor, params }) =>
  deleteRule(prisma(), actor, params.id),
);
