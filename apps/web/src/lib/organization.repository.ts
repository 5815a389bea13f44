import { recordAudit, type Actor } from '@metertwin/alarms';
import { findOrgDeviceNetworks, type PrismaClient } from '@metertwin/db';

/**
 * Replaces the organization's device networks, with an audit entry of before and after written in the
 * same transaction; returns them as stored.
 */
export function setOrgDeviceNetworks(db: PrismaClient, actor: Actor, orgId: string, networks: string[]): Promise<string[]> {
  return db.$transaction(async (tx) => {
    const before = await findOrgDeviceNetworks(tx, orgId);
    const { deviceNetworks: after } = await tx.organization.update({
      where: { id: orgId },
      data: { deviceNetworks: networks },
      select: { deviceNetworks: true },
    });
    await recordAudit(tx, actor, 'organization.device-networks.set', { type: 'organization', id: orgId }, { before, after });
    return after;
  });
}
