import { z } from 'zod';
import type { Actuator, Prisma, PrismaClient, SecretBox } from '@metertwin/db';
import type { Actor } from './actor.js';
import { ActuatorSpecSchema } from './actuator-config.js';
import { redactActuatorConfig, sealActuatorConfig } from './actuator-secrets.js';
import { deleteOrgActuator, insertActuator } from './actuator.repository.js';
import { recordAudit } from './audit-log.repository.js';
import { DomainError } from './domain-error.js';
import { isOrgMeter } from './org-membership.repository.js';

/** A new actuator: its name, the meter it belongs to (or none), and how it is reached (http or mqtt). */
export const CreateActuatorSchema = z.intersection(
  z.object({ meterId: z.uuid().nullable().default(null), name: z.string().trim().min(1).max(200) }),
  ActuatorSpecSchema,
);
export type CreateActuatorInput = z.infer<typeof CreateActuatorSchema>;

/** An actuator as any API answers it: its credentials are never sent back. */
export const publicActuator = <A extends Actuator>(actuator: A): A => ({
  ...actuator,
  config: redactActuatorConfig(actuator.kind, actuator.config) as Prisma.JsonValue,
});

/**
 * Adds an actuator to the organization, its credentials sealed, audited as `actuator.created` (what
 * it is and where it is reached, never its credentials). The meter it names must be the organization's.
 */
export async function createActuator(
  prisma: PrismaClient,
  secrets: SecretBox,
  actor: Actor,
  input: CreateActuatorInput,
): Promise<Actuator> {
  if (input.meterId && !(await isOrgMeter(prisma, actor.orgId, input.meterId))) {
    throw new DomainError('reference', `meter ${input.meterId} is not a meter of this organization`, { code: 'meter-not-found' });
  }
  const config = sealActuatorConfig(input, secrets) as Prisma.InputJsonValue;
  return prisma.$transaction(async (tx) => {
    const actuator = await insertActuator(tx, actor.orgId, { meterId: input.meterId, name: input.name, kind: input.kind, config });
    await recordAudit(tx, actor, 'actuator.created', { type: 'actuator', id: actuator.id }, {
      name: actuator.name,
      kind: actuator.kind,
      meterId: actuator.meterId,
      config: redactActuatorConfig(actuator.kind, actuator.config) as Prisma.InputJsonValue,
    });
    return actuator;
  });
}

/** Deletes one of the organization's actuators with its commands, audited as `actuator.deleted`. */
export async function deleteActuator(prisma: PrismaClient, actor: Actor, id: string): Promise<void> {
  await prisma.$transaction(async (tx) => {
    if (!(await deleteOrgActuator(tx, actor.orgId, id))) throw new DomainError('not-found', `actuator ${id} does not exist`, { code: 'actuator-not-found' });
    await recordAudit(tx, actor, 'actuator.deleted', { type: 'actuator', id }, {});
  });
}
