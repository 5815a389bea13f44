import { createSlackChannel, CreateSlackChannelSchema, listSlackChannels } from '@metertwin/slack-channels';
import { apiRoute, noStore } from '../../../../lib/api-route';
import { orgOutboundPolicy } from '../../../../lib/outbound-policy';

export const dynamic = 'force-dynamic';

/** GET /api/organization/slack-channels (admin): the channels, their URLs shown by origin only. */
export const GET = apiRoute<Record<string, never>>({ role: 'admin' }, async ({ db, user }) =>
  Response.json({ channels: await listSlackChannels(db, user.orgId) }, { headers: noStore }),
);

/** POST /api/organization/slack-channels {name, webhookUrl, minSeverity} (admin): as notify's POST /v1/slack-channels. */
export const POST = apiRoute<Record<string, never>, typeof CreateSlackChannelSchema>(
  { role: 'admin', body: CreateSlackChannelSchema, maxBytes: 8 * 1024 },
  async ({ db, user, actor, body }) => {
    const policy = await orgOutboundPolicy(db, user.orgId);
    const channel = await createSlackChannel(db, actor, body, policy);
    return Response.json({ channel }, { status: 201, headers: noStore });
  },
);
