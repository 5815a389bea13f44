import type { Prisma } from '@metertwin/db';

const HOME_ASSISTANT = { homeAssistant: true, homeAssistantPrefix: true } as const;

export function findHomeAssistantSettings(db: Prisma.TransactionClient, orgId: string) {
  return db.organization.findUniqueOrThrow({ where: { id: orgId }, select: HOME_ASSISTANT });
}

/** Locks the organization's row for the change (two admins switching at once each see the other's result). */
export async function lockOrganization(db: Prisma.TransactionClient, orgId: string): Promise<void> {
  await db.$queryRaw`SELECT id FROM "Organization" WHERE id = ${orgId} FOR UPDATE`;
}

export function updateHomeAssistant(db: Prisma.TransactionClient, orgId: string, enabled: boolean) {
  return db.organization.update({ where: { id: orgId }, data: { homeAssistant: enabled }, select: HOME_ASSISTANT });
}
