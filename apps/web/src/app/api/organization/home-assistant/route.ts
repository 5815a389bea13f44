import { homeAssistantSettings, HomeAssistantSwitchSchema, setHomeAssistant } from '@metertwin/home-assistant';
import { apiRoute, noStore } from '../../../../lib/api-route';

export const dynamic = 'force-dynamic';

/** GET /api/organization/home-assistant (viewer+): {enabled, discoveryPrefix}. */
export const GET = apiRoute<Record<string, never>>({ role: 'viewer' }, async ({ db, user }) =>
  Response.json(await homeAssistantSettings(db, user.orgId), { headers: noStore }),
);

/** PUT /api/organization/home-assistant {enabled} (admin): notify publishes the readings for Home Assistant, or stops; audited. */
export const PUT = apiRoute<Record<string, never>, typeof HomeAssistantSwitchSchema>(
  { role: 'admin', body: HomeAssistantSwitchSchema, maxBytes: 1024 },
  async ({ db, actor, body }) => Response.json(await setHomeAssistant(db, actor, body.enabled), { headers: noStore }),
);
