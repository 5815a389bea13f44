import { loadPreferences, PreferencesSchema, savePreferences } from '@metertwin/alarms';
import { apiUser } from '../../../../lib/auth';
import { readJsonBody } from '../../../../lib/request-body';
import { prisma } from '../../../../lib/server';

export const dynamic = 'force-dynamic';
const noStore = { 'cache-control': 'no-store' };

/** The user's notification preferences in effect, as notify applies them (the defaults until saved once). */
export async function GET(request: Request): Promise<Response> {
  const user = await apiUser(prisma(), request);
  if (user instanceof Response) return user;
  return Response.json(await loadPreferences(prisma(), user.id), { headers: noStore });
}

/** Replaces the user's preferences; the whole object, validated. */
export async function PUT(request: Request): Promise<Response> {
  const user = await apiUser(prisma(), request);
  if (user instanceof Response) return user;
  const body = await readJsonBody(request, PreferencesSchema);
  if (body instanceof Response) return body;
  await savePreferences(prisma(), user.id, body);
  return Response.json({ preferences: body, saved: true }, { headers: noStore });
}
