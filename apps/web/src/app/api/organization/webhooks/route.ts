import { createWebhook, CreateWebhookSchema, listWebhooks } from '@metertwin/webhook-subscriptions';
import { actorOf } from '../../../../lib/actor';
import { apiUser } from '../../../../lib/auth';
import { domainErrorResponse } from '../../../../lib/domain-error-response';
import { orgOutboundPolicy } from '../../../../lib/outbound-policy';
import { readJsonBody } from '../../../../lib/request-body';
import { prisma } from '../../../../lib/server';

export const dynamic = 'force-dynamic';

const noStore = { 'cache-control': 'no-store' };

/** GET /api/organization/webhooks (admin): the subscriptions, never their secrets. */
export async function GET(request: Request): Promise<Response> {
  const user = await apiUser(prisma(), request, 'admin');
  if (user instanceof Response) return user;
  return Response.json({ webhooks: await listWebhooks(prisma(), user.orgId) }, { headers: noStore });
}

/** POST /api/organization/webhooks {url, events} (admin): as notify's POST /v1/webhooks; the secret answered once. */
export async function POST(request: Request): Promise<Response> {
  const user = await apiUser(prisma(), request, 'admin');
  if (user instanceof Response) return user;
  const body = await readJsonBody(request, CreateWebhookSchema, 8 * 1024);
  if (body instanceof Response) return body;
  try {
    const policy = await orgOutboundPolicy(prisma(), user.orgId);
    const webhook = await createWebhook(prisma(), actorOf(user), body, policy);
    return Response.json({ webhook }, { status: 201, headers: noStore });
  } catch (error) {
    return domainErrorResponse(error, noStore);
  }
}
