import { createSlackChannel, CreateSlackChannelSchema, listSlackChannels } from '@metertwin/slack-channels';
import { actorOf } from '../../../../lib/actor';
import { apiUser } from '../../../../lib/auth';
import { domainErrorResponse } from '../../../../lib/domain-error-response';
import { orgOutboundPolicy } from '../../../../lib/outbound-policy';
import { readJsonBody } from '../../../../lib/request-body';
import { prisma } from '../../../../lib/server';

export const dynamic = 'force-dynamic';

const noStore = { 'cache-control': 'no-store' };

/** GET /api/organization/slack-channels (admin): the channels, their URLs shown by origin only. */
export async function GET(request: Request): Promise<Response> {
  const user = await apiUser(prisma(), request, 'admin');
  if (user instanceof Response) return user;
  return Response.json({ channels: await listSlackChannels(prisma(), user.orgId) }, { headers: noStore });
}

/** POST /api/organization/slack-channels {name, webhookUrl, minSeverity} (admin): as notify's POST /v1/slack-channels. */
export async function POST(request: Request): Promise<Response> {
  const user = await apiUser(prisma(), request, 'admin');
  if (user instanceof Response) return user;
  const body = await readJsonBody(request, CreateSlackChannelSchema, 8 * 1024);
  if (body instanceof Response) return body;
  try {
    const policy = await orgOutboundPolicy(prisma(), user.orgId);
    const channel = await createSlackChannel(prisma(), actorOf(user), body, policy);
    return Response.json({ channel }, { status: 201, headers: noStore });
  } catch (error) {
    return domainErrorResponse(error, noStore);
  }
}
