import { createWebhook, CreateWebhookSchema, listWebhooks } from '@metertwin/webhook-subscriptions';
import { apiRoute, noStore } from '../../../../lib/api-route';
import { orgOutboundPolicy } from '../../../../lib/outbound-policy';

export const dynamic = 'force-dynamic';

/** GET /api/organization/webhooks (admin): the subscriptions, never their secrets. */
export const GET = apiRoute<Record<string, never>>({ role: 'admin' }, async ({ db, user }) =>
  Response.json({ webhooks: await listWebhooks(db, user.orgId) }, { headers: noStore }),
);

/** POST /api/organization/webhooks {url, events} (admin): as notify's POST /v1/webhooks; the secret answered once. */
export const POST = apiRoute<Record<string, never>, typeof CreateWebhookSchema>(
  { role: 'admin', body: CreateWebhookSchema, maxBytes: 8 * 1024 },
  async ({ db, user, actor, body }) => {
    const policy = await orgOutboundPolicy(db, user.orgId);
    const webhook = await createWebhook(db, actor, body, policy);
    return Response.json({ webhook }, { status: 201, headers: noStore });
  },
);
