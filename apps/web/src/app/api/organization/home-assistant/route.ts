import { homeAssistantSettings, HomeAssistantSwitchSchema, setHomeAssistant } from '@metertwin/home-assistant';
import { actorOf } from '../../../../lib/actor';
import { apiUser } from '../../../../lib/auth';
import { readJsonBody } from '../../../../lib/request-body';
import { prisma } from '../../../../lib/server';

export const dynamic = 'force-dynamic';

const noStore = { 'cache-control': 'no-store' };

/** GET /api/organization/home-assistant (viewer+): {enabled, discoveryPrefix}. */
export async function GET(request: Request): Promise<Response> {
  const user = await apiUser(prisma(), request, 'viewer');
  if (user instanceof Response) return user;
  return Response.json(await homeAssistantSettings(prisma(), user.orgId), { headers: noStore });
}

/** PUT /api/organization/home-assistant {enabled} (admin): notify publishes the readings for Home Assistant, or stops; audited. */
export async function PUT(request: Request): Promise<Response> {
  const user = await apiUser(prisma(), request, 'admin');
  if (user instanceof Response) return user;
  const body = await readJsonBody(request, HomeAssistantSwitchSchema, 1024);
  if (body instanceof Response) return body;
  return Response.json(await setHomeAssistant(prisma(), actorOf(user), body.enabled), { headers: noStore });
}
