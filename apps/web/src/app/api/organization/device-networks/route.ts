import { apiUser } from '../../../../lib/auth';
import { readJsonBody } from '../../../../lib/request-body';
import { deviceNetworks, DeviceNetworksRequestSchema, setDeviceNetworks } from '../../../../lib/organization';
import { prisma } from '../../../../lib/server';

export const dynamic = 'force-dynamic';

const noStore = { 'cache-control': 'no-store' };

/** GET /api/organization/device-networks (viewer+): the private networks its devices may be on. */
export async function GET(request: Request): Promise<Response> {
  const user = await apiUser(prisma(), request, 'viewer');
  if (user instanceof Response) return user;
  return Response.json({ networks: await deviceNetworks(prisma(), user.orgId) }, { headers: noStore });
}

/** PUT /api/organization/device-networks {networks: CIDR[]} (admin): private networks only. */
export async function PUT(request: Request): Promise<Response> {
  const user = await apiUser(prisma(), request, 'admin');
  if (user instanceof Response) return user;
  const body = await readJsonBody(request, DeviceNetworksRequestSchema, 16 * 1024);
  if (body instanceof Response) return body;
  return Response.json(
    { networks: await setDeviceNetworks(prisma(), user, body.networks) },
    { headers: noStore },
  );
}
