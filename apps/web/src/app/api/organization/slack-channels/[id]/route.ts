import { deleteSlackChannel, updateSlackChannel, UpdateSlackChannelSchema } from '@metertwin/slack-channels';
import { apiRoute, noStore } from '../../../../../lib/api-route';
import { orgOutboundPolicy } from '../../../../../lib/outbound-policy';

export const dynamic = 'force-dynamic';

/** PUT /api/organization/slack-channels/:id {name?, webhookUrl?, minSeverity?, enabled?} (admin): as notify's PATCH. */
export const PUT = apiRoute<{ id: string }, typeof UpdateSlackChannelSchema>(
  { role: 'admin', body: UpdateSlackChannelSchema, maxBytes: 8 * 1024 },
  async ({ db, user, actor, params: { id }, body }) => {
    const policy = await orgOutboundPolicy(db, user.orgId);
    const channel = await updateSlackChannel(db, actor, id, body, policy);
    return Response.json({ channel }, { headers: noStore });
  },
);

/** DELETE /api/organization/slack-channels/:id (admin). */
export const DELETE = apiRoute<{ id: string }>({ role: 'admin' }, async ({ db, actor, params: { id } }) => {
  await deleteSlackChannel(db, actor, id);
  return new Response(null, { status: 204 });
});
