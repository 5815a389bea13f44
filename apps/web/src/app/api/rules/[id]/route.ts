import { deleteRule, NewRuleSchema, updateRule } from '@metertwin/alarms';
import { actorOf } from '../../../../lib/actor';
import { apiUser } from '../../../../lib/auth';
import { domainErrorResponse } from '../../../../lib/domain-error-response';
import { readJsonBody } from '../../../../lib/request-body';
import { ruleRegistry } from '../../../../lib/rule-registry';
import { prisma } from '../../../../lib/server';

export const dynamic = 'force-dynamic';

const noStore = { 'cache-control': 'no-store' };

/** PUT /api/rules/:id: replaces the rule's fields (operator+). */
export async function PUT(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const user = await apiUser(prisma(), request, 'operator');
  if (user instanceof Response) return user;
  const { id } = await context.params;
  const input = await readJsonBody(request, NewRuleSchema);
  if (input instanceof Response) return input;
  try {
    return Response.json(await updateRule(prisma(), await ruleRegistry(), actorOf(user), id, input), {
      headers: noStore,
    });
  } catch (error) {
    return domainErrorResponse(error, noStore);
  }
}

/** DELETE /api/rules/:id (operator+); the rule's alarms stay. */
export async function DELETE(
  request: Request,
  context: { params: Promise<{ id: string }> },
): Promise<Response> {
  const user = await apiUser(prisma(), request, 'operator');
  if (user instanceof Response) return user;
  const { id } = await context.params;
  try {
    await deleteRule(prisma(), actorOf(user), id);
    return new Response(null, { status: 204, headers: noStore });
  } catch (error) {
    return domainErrorResponse(error, noStore);
  }
}
