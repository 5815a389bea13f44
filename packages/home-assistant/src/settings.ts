import { z } from 'zod';
import { recordAudit, type Actor } from '@metertwin/alarms';
import type { PrismaClient } from '@metertwin/db';
import { findHomeAssistantSettings, lockOrganization, updateHomeAssistant } from './organization.repository.js';

export const HomeAssistantSwitchSchema = z.object({ enabled: z.boolean() }).strict();

/** Whether notify publishes the organization's readings for Home Assistant, and under which discovery prefix. */
export interface HomeAssistantSettings {
  enabled: boolean;
  discoveryPrefix: string;
}

const view = (org: { homeAssistant: boolean; homeAssistantPrefix: string }): HomeAssistantSettings => ({
  enabled: org.homeAssistant,
  discoveryPrefix: org.homeAssistantPrefix,
});

export async function homeAssistantSettings(prisma: PrismaClient, orgId: string): Promise<HomeAssistantSettings> {
  return view(await findHomeAssistantSettings(prisma, orgId));
}

/**
 * Turns Home Assistant on or off for the actor's organization, with one audit row
 * `organization.home-assistant.set` {before, after} when it changed. Notify reads the switch with each
 * accepted reading: on, the meter's discovery config and state are published from the next one; off,
 * notify's HomeAssistantSweeper clears them from the broker.
 */
export async function setHomeAssistant(prisma: PrismaClient, actor: Actor, enabled: boolean): Promise<HomeAssistantSettings> {
  return prisma.$transaction(async (tx) => {
    await lockOrganization(tx, actor.orgId);
    const before = await findHomeAssistantSettings(tx, actor.orgId);
    if (before.homeAssistant === enabled) return view(before);
    const after = await updateHomeAssistant(tx, actor.orgId, enabled);
    await recordAudit(tx, actor, 'organization.home-assistant.set', { type: 'organization', id: actor.orgId }, { before: before.homeAssistant, after: after.homeAssistant });
    return view(after);
  });
}
