import { apiRoute, noStore } from '../../../../lib/api-route';
import { deviceNetworks, DeviceNetworksRequestSchema, setDeviceNetworks } from '../../../../lib/organization';

export const dynamic = 'force-dynamic';

/** GET /api/organization/device-networks (viewer+): the private networks its devices may be on. */
export const GET = apiRoute<Record<string, never>>({ role: 'viewer' }, async ({ db, user }) =>
  Response.json({ networks: await deviceNetworks(db, user.orgId) }, { headers: noStore }),
);

/** PUT /api/organization/device-networks {networks: CIDR[]} (admin): private networks only. */
export const PUT = apiRoute<Record<string, never>, typeof DeviceNetworksRequestSchema>(
  { role: 'admin', body: DeviceNetworksRequestSchema, maxBytes: 16 * 1024 },
  async ({ db, user, body }) => Response.json({ networks: await setDeviceNetworks(db, user, body.networks) }, { headers: noStore }),
);
