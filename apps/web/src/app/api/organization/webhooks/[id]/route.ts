import { deleteWebhook, updateWebhook, UpdateWebhookSchema } from '@metertwin/webhook-subscriptions';
import { actorOf } from '../../../../../lib/actor';
import { apiUser } from '../../../../../lib/auth';
import { domainErrorResponse } from '../../../../../lib/domain-error-response';
import { orgOutboundPolicy } from '../../../../../lib/outbound-policy';
import { readJsonBody } from '../../../../../lib/request-body';
import { prisma } from '../../../../../lib/server';

export const dynamic = 'force-dynamic';

const noStore = { 'cache-control': 'no-store' };

/** PUT /api/organization/webhooks/:id {url?, events?, enabled?, rotateSecret?} (admin): as notify's PATCH. */
export async function PUT(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const user = await apiUser(prisma(), request, 'admin');
  if (user instanceof Response) return user;
  const body = await readJsonBody(request, UpdateWebhookSchema, 8 * 1024);
  if (body instanceof Response) return body;
  const { id } = await context.params;
  try {
    const policy = await orgOutboundPolicy(prisma(), user.orgId);
    const webhook = await updateWebhook(prisma(), actorOf(user), id, body, policy);
    return Response.json({ webhook }, { headers: noStore });
  } catch (error) {
    return domainErrorResponse(error, noStore);
  }
}

/** DELETE /api/organization/webhooks/:id (admin): unsubscribes; the delivery log goes with it. */
export async function DELETE(
  request: Request,
  context: { params: Promise<{ id: string }> },
): Promise<Response> {
  const user = await apiUser(prisma(), request, 'admin');
  if (user instanceof Response) return user;
  const { id } = await context.params;
  try {
    await deleteWebhook(prisma(), actorOf(user), id);
    return new Response(null, { status: 204 });
  } catch (error) {
    return domainErrorResponse(error, noStore);
  }
}
