import { createRule, findOrgRules } from '@metertwin/alarms';
import { operations } from '@metertwin/public-api';
import { ruleOut } from '../../../../lib/api-v1/representations';
import { v1Route } from '../../../../lib/api-v1/route';
import { ruleRegistry } from '../../../../lib/rule-registry';
import { prisma } from '../../../../lib/server';

export const dynamic = 'force-dynamic';

export const GET = v1Route(operations.listRules, async ({ grant, query }) => ({
  items: (await findOrgRules(prisma(), grant.orgId, query)).map(ruleOut),
}));

export const POST = v1Route(operations.createRule, async ({ actor, body }) =>
  ruleOut(await createRule(prisma(), await ruleRegistry(), actor, body)),
);
