import { createRule, NewRuleSchema } from '@metertwin/alarms';
import { actorOf } from '../../../lib/actor';
import { apiUser } from '../../../lib/auth';
import { domainErrorResponse } from '../../../lib/domain-error-response';
import { readJsonBody } from '../../../lib/request-body';
import { ruleRegistry } from '../../../lib/rule-registry';
import { listRules } from '../../../lib/rules';
import { prisma } from '../../../lib/server';

export const dynamic = 'force-dynamic';

const noStore = { 'cache-control': 'no-store' };

/** GET /api/rules: the organization's rules (viewer+). */
export async function GET(request: Request): Promise<Response> {
  const user = await apiUser(prisma(), request, 'viewer');
  if (user instanceof Response) return user;
  return Response.json({ rules: await listRules(prisma(), user.orgId) }, { headers: noStore });
}

/** POST /api/rules: a new rule (operator+); 400 with the type schema's message for a bad config. */
export async function POST(request: Request): Promise<Response> {
  const user = await apiUser(prisma(), request, 'operator');
  if (user instanceof Response) return user;
  const input = await readJsonBody(request, NewRuleSchema);
  if (input instanceof Response) return input;
  try {
    const rule = await createRule(prisma(), await ruleRegistry(), actorOf(user), input);
    return Response.json(rule, { status: 201, headers: noStore });
  } catch (error) {
    return domainErrorResponse(error, noStore);
  }
}
