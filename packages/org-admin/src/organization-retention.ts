import { recordAudit, type Actor } from '@metertwin/alarms';
import type { PrismaClient } from '@metertwin/db';
import { findOrgRetention, lockOrgRetention, updateOrgRetention } from './organization.repository.js';
import { OrganizationRetentionSchema, type OrganizationRetention } from './schemas.js';

/** How many days ingest's daily retention run keeps the organization's photos and readings (null: forever). */
export async function organizationRetention(prisma: PrismaClient, orgId: string): Promise<OrganizationRetention> {
  return findOrgRetention(prisma, orgId);
}

/**
 * Sets both retention periods at once (checked together: photos may not outlive their readings);
 * audited `organization.retention.set` with before and after. The same values again write nothing.
 * Parses `input` itself so every caller gets the same rule (a ZodError for input the schema refuses).
 */
export async function setOrganizationRetention(prisma: PrismaClient, admin: Actor, input: OrganizationRetention): Promise<OrganizationRetention> {
  const after = OrganizationRetentionSchema.parse(input);
  await prisma.$transaction(async (tx) => {
    const before = await lockOrgRetention(tx, admin.orgId);
    if (before.photoRetentionDays === after.photoRetentionDays && before.readingRetentionDays === after.readingRetentionDays) return;
    await updateOrgRetention(tx, admin.orgId, after);
    await recordAudit(tx, admin, 'organization.retention.set', { type: 'organization', id: admin.orgId }, { before, after });
  });
  return after;
}
