import { apiUser } from '../../../../lib/auth';
import { readJsonBody } from '../../../../lib/request-body';
import {
  DEFAULT_PREFERENCES,
  PreferencesSchema,
  type Preferences,
} from '../../../../lib/notification-settings';
import { prisma } from '../../../../lib/server';

export const dynamic = 'force-dynamic';
const noStore = { 'cache-control': 'no-store' };

/** The user's notification preferences (the defaults until saved once). */
export async function GET(request: Request): Promise<Response> {
  const user = await apiUser(prisma(), request);
  if (user instanceof Response) return user;
  const row = await prisma().notificationPreference.findUnique({ where: { userId: user.id } });
  const stored = row
    ? PreferencesSchema.safeParse({
        ...row,
        channels: { ...DEFAULT_PREFERENCES.channels, ...(row.channels as object) },
      })
    : null;
  const preferences: Preferences = stored?.success ? stored.data : DEFAULT_PREFERENCES;
  return Response.json({ preferences, saved: row !== null }, { headers: noStore });
}

/** Replaces the user's preferences; the whole object, validated. */
export async function PUT(request: Request): Promise<Response> {
  const user = await apiUser(prisma(), request);
  if (user instanceof Response) return user;
  const body = await readJsonBody(request, PreferencesSchema);
  if (body instanceof Response) return body;
  await prisma().notificationPreference.upsert({
    where: { userId: user.id },
    create: { userId: user.id, ...body },
    update: body,
  });
  return Response.json({ preferences: body, saved: true }, { headers: noStore });
}
