import { deleteSlackChannel, updateSlackChannel, UpdateSlackChannelSchema } from '@metertwin/slack-channels';
import { actorOf } from '../../../../../lib/actor';
import { apiUser } from '../../../../../lib/auth';
import { domainErrorResponse } from '../../../../../lib/domain-error-response';
import { orgOutboundPolicy } from '../../../../../lib/outbound-policy';
import { readJsonBody } from '../../../../../lib/request-body';
import { prisma } from '../../../../../lib/server';

export const dynamic = 'force-dynamic';

const noStore = { 'cache-control': 'no-store' };

/** PUT /api/organization/slack-channels/:id {name?, webhookUrl?, minSeverity?, enabled?} (admin): as notify's PATCH. */
export async function PUT(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const user = await apiUser(prisma(), request, 'admin');
  if (user instanceof Response) return user;
  const body = await readJsonBody(request, UpdateSlackChannelSchema, 8 * 1024);
  if (body instanceof Response) return body;
  const { id } = await context.params;
  try {
    const policy = await orgOutboundPolicy(prisma(), user.orgId);
    const channel = await updateSlackChannel(prisma(), actorOf(user), id, body, policy);
    return Response.json({ channel }, { headers: noStore });
  } catch (error) {
    return domainErrorResponse(error, noStore);
  }
}

/** DELETE /api/organization/slack-channels/:id (admin). */
export async function DELETE(
  request: Request,
  context: { params: Promise<{ id: string }> },
): Promise<Response> {
  const user = await apiUser(prisma(), request, 'admin');
  if (user instanceof Response) return user;
  const { id } = await context.params;
  try {
    await deleteSlackChannel(prisma(), actorOf(user), id);
    return new Response(null, { status: 204 });
  } catch (error) {
    return domainErrorResponse(error, noStore);
  }
}
