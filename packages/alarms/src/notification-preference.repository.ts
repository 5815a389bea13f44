import type { PrismaClient } from '@metertwin/db';
import { effectivePreferences, type Preferences } from './notification-preferences.js';

/** Data access of a user's NotificationPreference row. */

/** The user's preferences in effect, and whether they saved any. */
export async function loadPreferences(
  db: PrismaClient,
  userId: string,
): Promise<{ preferences: Preferences; saved: boolean }> {
  const row = await db.notificationPreference.findUnique({ where: { userId } });
  return { preferences: effectivePreferences(row), saved: row !== null };
}

/** Replaces the user's preferences (validated by PreferencesSchema at the door). */
export async function savePreferences(
  db: PrismaClient,
  userId: string,
  preferences: Preferences,
): Promise<void> {
  await db.notificationPreference.upsert({
    where: { userId },
    create: { userId, ...preferences },
    update: preferences,
  });
}
