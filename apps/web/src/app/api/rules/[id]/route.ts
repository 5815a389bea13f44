import { apiUser } from '../../../../lib/auth';
import { readJsonBody } from '../../../../lib/request-body';
import { deleteRule, RuleError, RuleInputSchema, updateRule } from '../../../../lib/rules';
import { prisma } from '../../../../lib/server';

export const dynamic = 'force-dynamic';

const noStore = { 'cache-control': 'no-store' };

function ruleErrorResponse(error: unknown): Response {
  if (error instanceof RuleError) {
    return Response.json({ error: error.message }, { status: error.status, headers: noStore });
  }
  throw error;
}

/** PUT /api/rules/:id: replaces the rule's fields (operator+). */
export async function PUT(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const user = await apiUser(prisma(), request, 'operator');
  if (user instanceof Response) return user;
  const { id } = await context.params;
  const input = await readJsonBody(request, RuleInputSchema);
  if (input instanceof Response) return input;
  try {
    return Response.json(await updateRule(prisma(), user, id, input), { headers: noStore });
  } catch (error) {
    return ruleErrorResponse(error);
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
    await deleteRule(prisma(), user, id);
    return new Response(null, { status: 204, headers: noStore });
  } catch (error) {
    return ruleErrorResponse(error);
  }
}
