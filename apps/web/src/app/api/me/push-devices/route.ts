import { apiUser } from '../../../../lib/auth';
import { readJsonBody } from '../../../../lib/request-body';
import { PushDeviceSchema, PushTokenSchema } from '../../../../lib/notification-settings';
import { ForeignRegistrationError, listPushDevices, registerPushDevice } from '../../../../lib/push-registrations';
import { deleteUserPushDevice } from '../../../../lib/push-registration.repository';
import { refusalOf, refusalResponse } from '../../../../lib/refusal';
import { prisma } from '../../../../lib/server';

export const dynamic = 'force-dynamic';
const noStore = { 'cache-control': 'no-store' };

/** The user's registered phones (tokens are not echoed back in full). */
export async function GET(request: Request): Promise<Response> {
  const user = await apiUser(prisma(), request);
  if (user instanceof Response) return user;
  return Response.json({ devices: await listPushDevices(prisma(), user.id) }, { headers: noStore });
}

/**
 * Registers an FCM token for the user ({"token": …, "platform": "android"}); a known token moves to
 * this user within the organization, and is refused (409) when another organization has it.
 */
export async function POST(request: Request): Promise<Response> {
  const user = await apiUser(prisma(), request);
  if (user instanceof Response) return user;
  const body = await readJsonBody(request, PushDeviceSchema);
  if (body instanceof Response) return body;
  try {
    const device = await registerPushDevice(prisma(), user, body);
    return Response.json({ id: device.id }, { status: 201, headers: noStore });
  } catch (error) {
    if (error instanceof ForeignRegistrationError) {
      return refusalResponse(409, refusalOf(error));
    }
    throw error;
  }
}

/** Removes one of the user's tokens ({"token": …}), e.g. on sign-out in the app. */
export async function DELETE(request: Request): Promise<Response> {
  const user = await apiUser(prisma(), request);
  if (user instanceof Response) return user;
  const body = await readJsonBody(request, PushTokenSchema);
  if (body instanceof Response) return body;
  return (await deleteUserPushDevice(prisma(), user.id, body.token))
    ? new Response(null, { status: 204 })
    : refusalResponse(404, { error: 'no such device', code: 'push-device-not-found' });
}
