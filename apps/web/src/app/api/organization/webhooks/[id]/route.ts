import { deleteWebhook, updateWebhook, UpdateWebhookSchema } from '@metertwin/webhook-subscriptions';
import { apiRoute, noStore } from '../../../../../lib/api-route';
import { orgOutboundPolicy } from '../../../../../lib/outbound-policy';

export const dynamic = 'force-dynamic';

/** PUT /api/organization/webhooks/:id {url?, events?, enabled?, rotateSecret?} (admin): as notify's PATCH. */
export const PUT = apiRoute<{ id: string }, typeof UpdateWebhookSchema>(
  { role: 'admin', body: UpdateWebhookSchema, maxBytes: 8 * 1024 },
  async ({ db, user, actor, params: { id }, body }) => {
    const policy = await orgOutboundPolicy(db, user.orgId);
    const webhook = await updateWebhook(db, actor, id, body, policy);
    return Response.json({ webhook }, { headers: noStore });
  },
);

/** DELETE /api/organization/webhooks/:id (admin): unsubscribes; the delivery log goes with it. */
export const DELETE = apiRoute<{ id: string }>({ role: 'admin' }, async ({ db, actor, params: { id } }) => {
  await deleteWebhook(db, actor, id);
  return new Response(null, { status: 204 });
});
