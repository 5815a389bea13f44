import type { ActuationCommand, Actuator, Prisma, PrismaClient } from '@metertwin/db';
import type { Actor } from './actor.js';
import { recordAudit } from './audit-log.repository.js';
import { findCommand, insertCommand, isOrgActuator, recordCommandOutcome, setOverrideUntil } from './actuator.repository.js';
import { DomainError } from './domain-error.js';
import { isOrgUser } from './org-membership.repository.js';

/** Who asked for a command: `rule:<ruleId>` or `user:<userId>`, as stored in ActuationCommand.requestedBy. */
export type Requester = { rule: string } | { user: string };

export const requesterText = (r: Requester) => ('rule' in r ? `rule:${r.rule}` : `user:${r.user}`);

export const requesterOf = (requestedBy: string): Requester =>
  requestedBy.startsWith('rule:')
    ? { rule: requestedBy.slice(5) }
    : { user: requestedBy.replace(/^user:/, '') };

/** A rule acts as the system, audited with its id. */
export const requesterActor = (orgId: string, r: Requester): Actor =>
  'rule' in r ? { orgId, type: 'system', id: r.rule } : { orgId, type: 'user', id: r.user };

const isUniqueViolation = (error: unknown) => (error as { code?: unknown } | null)?.code === 'P2002';

/**
 * Records a command to an actuator and its `actuation.requested` audit row in one transaction, before
 * anything is sent: the caller then queues its delivery (notify's worker sends it). `id` makes it
 * idempotent (a rule's action for one alarm): a second request with the same id returns the first.
 */
export async function recordActuationCommand(
  prisma: PrismaClient,
  input: { actuatorId: string; command: string; requestedBy: Requester; alarmId?: string; id?: string },
): Promise<ActuationCommand> {
  const existing = input.id ? await findCommand(prisma, input.id) : null;
  if (existing) return existing;
  const data = {
    id: input.id,
    actuatorId: input.actuatorId,
    command: input.command,
    requestedBy: requesterText(input.requestedBy),
    alarmId: input.alarmId ?? null,
  };
  try {
    return await prisma.$transaction(async (tx) => {
      const { actuator, ...command } = await insertCommand(tx, data);
      const actor = requesterActor(actuator.orgId, input.requestedBy);
      const audited = { commandId: command.id, command: command.command, alarmId: command.alarmId };
      await recordAudit(
        tx,
        actor,
        'actuation.requested',
        { type: 'actuator', id: command.actuatorId },
        audited,
      );
      return command;
    });
  } catch (error) {
    // Two requests with one id at once: the other one recorded it.
    if (!isUniqueViolation(error) || !input.id) throw error;
    return (await findCommand(prisma, input.id))!;
  }
}

/**
 * Records how a command ended (confirmed with the state the device reports, timeout or failed) and its
 * `actuation.<status>` audit row in one transaction: whoever sees the outcome sees the actuator's new
 * state and the audit row too.
 */
export async function recordCommandFinished(
  prisma: PrismaClient,
  command: Pick<ActuationCommand, 'id' | 'actuatorId' | 'command' | 'alarmId' | 'requestedBy'> & { actuator: { orgId: string } },
  status: 'confirmed' | 'timeout' | 'failed',
  result: { state?: string; error?: string },
): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const audited = { commandId: command.id, command: command.command, alarmId: command.alarmId, ...result };
    const actor = requesterActor(command.actuator.orgId, requesterOf(command.requestedBy));
    await recordAudit(tx, actor, `actuation.${status}`, { type: 'actuator', id: command.actuatorId }, audited as Prisma.InputJsonValue);
    await recordCommandOutcome(tx, command, status, result);
  });
}

/** The actuator and the person must be the organization's (the person is audited and named on the command). */
async function checkManual(
  prisma: PrismaClient,
  orgId: string,
  actuatorId: string,
  userId: string,
): Promise<void> {
  if (!(await isOrgActuator(prisma, orgId, actuatorId)))
    throw new DomainError('not-found', 'actuator not found', { code: 'actuator-not-found' });
  if (!(await isOrgUser(prisma, orgId, userId))) {
    throw new DomainError('reference', `user ${userId} is not a user of this organization`, { code: 'user-not-found' });
  }
}

/**
 * A person commands an actuator by hand, from the portal or notify's API; sent whatever the override
 * (the override is what keeps the rules away while a person is in charge). The caller queues it.
 */
export async function requestManualCommand(
  prisma: PrismaClient,
  request: { orgId: string; actuatorId: string; userId: string; command: string },
): Promise<ActuationCommand> {
  await checkManual(prisma, request.orgId, request.actuatorId, request.userId);
  return recordActuationCommand(prisma, {
    actuatorId: request.actuatorId,
    command: request.command,
    requestedBy: { user: request.userId },
  });
}

/** Sets (until a time) or lifts (null) the manual override: rules leave the actuator alone until then. */
export async function setActuatorOverride(
  prisma: PrismaClient,
  request: { orgId: string; actuatorId: string; userId: string; until: Date | null },
): Promise<Actuator> {
  const { orgId, actuatorId, userId, until } = request;
  await checkManual(prisma, orgId, actuatorId, userId);
  return prisma.$transaction(async (tx) => {
    const actuator = await setOverrideUntil(tx, actuatorId, until);
    const action = until ? 'actuator.override.set' : 'actuator.override.lifted';
    await recordAudit(
      tx,
      { orgId, type: 'user', id: userId },
      action,
      { type: 'actuator', id: actuatorId },
      {
        until: until?.toISOString() ?? null,
      },
    );
    return actuator;
  });
}
