import { apiUser } from '../../../../lib/auth';
import { webConfig } from '../../../../lib/config';
import { readJsonBody } from '../../../../lib/request-body';
import { EndpointSchema, WebPushSubscriptionSchema } from '../../../../lib/notification-settings';
import { ForeignRegistrationError, registerWebPush } from '../../../../lib/push-registrations';
import { countUserWebPush, deleteUserWebPush } from '../../../../lib/push-registration.repository';
import { refusalOf, refusalResponse } from '../../../../lib/refusal';
import { prisma } from '../../../../lib/server';

export const dynamic = 'force-dynamic';
const noStore = { 'cache-control': 'no-store' };

/** The VAPID public key to subscribe with (null: web push is not configured), and whether this user has subscriptions. */
export async function GET(request: Request): Promise<Response> {
  const user = await apiUser(prisma(), request);
  if (user instanceof Response) return user;
  const subscriptions = await countUserWebPush(prisma(), user.id);
  return Response.json(
    { publicKey: webConfig().WEB_PUSH_PUBLIC_KEY ?? null, subscriptions },
    { headers: noStore },
  );
}

/**
 * Saves this browser's push subscription for the user (a browser re-subscribing moves it to the new
 * user within the organization; another organization's subscription is refused with 409).
 */
export async function POST(request: Request): Promise<Response> {
  const user = await apiUser(prisma(), request);
  if (user instanceof Response) return user;
  const body = await readJsonBody(request, WebPushSubscriptionSchema);
  if (body instanceof Response) return body;
  try {
    const sub = await registerWebPush(prisma(), user, body);
    return Response.json({ id: sub.id }, { status: 201, headers: noStore });
  } catch (error) {
    if (error instanceof ForeignRegistrationError) {
      return refusalResponse(409, refusalOf(error));
    }
    throw error;
  }
}

/** Removes one of the user's subscriptions ({"endpoint": …}). */
export async function DELETE(request: Request): Promise<Response> {
  const user = await apiUser(prisma(), request);
  if (user instanceof Response) return user;
  const body = await readJsonBody(request, EndpointSchema);
  if (body instanceof Response) return body;
  return (await deleteUserWebPush(prisma(), user.id, body.endpoint))
    ? new Response(null, { status: 204 })
    : refusalResponse(404, { error: 'no such subscription', code: 'push-subscription-not-found' });
}
