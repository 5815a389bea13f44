import type { ActuationCommand, Actuator, Prisma } from '@metertwin/db';

/** Data access of the actuator aggregate (the actuator and its commands). */

export async function isOrgActuator(
  db: Prisma.TransactionClient,
  orgId: string,
  id: string,
): Promise<boolean> {
  return (await db.actuator.count({ where: { id, orgId } })) === 1;
}

export function findCommand(db: Prisma.TransactionClient, id: string): Promise<ActuationCommand | null> {
  return db.actuationCommand.findUnique({ where: { id } });
}

export function insertCommand(
  db: Prisma.TransactionClient,
  data: { id?: string; actuatorId: string; command: string; requestedBy: string; alarmId: string | null },
): Promise<ActuationCommand & { actuator: { orgId: string } }> {
  return db.actuationCommand.create({ data, include: { actuator: { select: { orgId: true } } } });
}

export function setOverrideUntil(
  db: Prisma.TransactionClient,
  id: string,
  until: Date | null,
): Promise<Actuator> {
  return db.actuator.update({ where: { id }, data: { overrideUntil: until } });
}

export function insertActuator(
  db: Prisma.TransactionClient,
  orgId: string,
  data: { meterId: string | null; name: string; kind: string; config: Prisma.InputJsonValue },
): Promise<Actuator> {
  return db.actuator.create({ data: { ...data, orgId } });
}

/** The organization's actuators, oldest first. */
export function findOrgActuators(db: Prisma.TransactionClient, orgId: string): Promise<Actuator[]> {
  return db.actuator.findMany({ where: { orgId }, orderBy: { createdAt: 'asc' } });
}

/** The actuator with its last `commands` commands, newest first; null when not the organization's. */
export function findOrgActuatorWithCommands(
  db: Prisma.TransactionClient,
  orgId: string,
  id: string,
  commands: number,
): Promise<(Actuator & { commands: ActuationCommand[] }) | null> {
  return db.actuator.findFirst({
    where: { id, orgId },
    include: { commands: { orderBy: { createdAt: 'desc' }, take: commands } },
  });
}

/** The organization's actuators by name, with their meter and last `commands` commands (the portal's list). */
export function findOrgActuatorsForList(db: Prisma.TransactionClient, orgId: string, commands: number) {
  return db.actuator.findMany({
    where: { orgId },
    orderBy: { name: 'asc' },
    include: {
      meter: { select: { id: true, name: true } },
      commands: {
        orderBy: { createdAt: 'desc' },
        take: commands,
        select: { id: true, command: true, status: true, requestedBy: true, error: true, createdAt: true },
      },
    },
  });
}

/** Deletes the actuator and its commands; false when it is not the organization's. */
export async function deleteOrgActuator(
  db: Prisma.TransactionClient,
  orgId: string,
  id: string,
): Promise<boolean> {
  return (await db.actuator.deleteMany({ where: { id, orgId } })).count > 0;
}

export function findOrgActuatorCommand(
  db: Prisma.TransactionClient,
  orgId: string,
  actuatorId: string,
  commandId: string,
): Promise<ActuationCommand | null> {
  return db.actuationCommand.findFirst({ where: { id: commandId, actuatorId, actuator: { orgId } } });
}

/** The organization's actuators by name, id and name only (what a form chooses from). */
export function findOrgActuatorNames(
  db: Prisma.TransactionClient,
  orgId: string,
): Promise<{ id: string; name: string }[]> {
  return db.actuator.findMany({
    where: { orgId },
    orderBy: { name: 'asc' },
    select: { id: true, name: true },
  });
}

export function findOrgActuator(db: Prisma.TransactionClient, orgId: string, id: string): Promise<Actuator | null> {
  return db.actuator.findFirst({ where: { id, orgId } });
}

export function findCommandWithActuator(
  db: Prisma.TransactionClient,
  id: string,
): Promise<(ActuationCommand & { actuator: Actuator }) | null> {
  return db.actuationCommand.findUnique({ where: { id }, include: { actuator: true } });
}

export function getCommandWithOrg(
  db: Prisma.TransactionClient,
  id: string,
): Promise<ActuationCommand & { actuator: { orgId: string } }> {
  return db.actuationCommand.findUniqueOrThrow({ where: { id }, include: { actuator: { select: { orgId: true } } } });
}

export async function markCommandSent(db: Prisma.TransactionClient, id: string): Promise<void> {
  await db.actuationCommand.update({ where: { id }, data: { status: 'sent', sentAt: new Date() } });
}

/** The error of an attempt that will be retried; the command keeps its status. */
export async function recordCommandError(db: Prisma.TransactionClient, id: string, error: string): Promise<void> {
  await db.actuationCommand.update({ where: { id }, data: { error } });
}

/** The command's final outcome; a confirmed command also sets the state its actuator reported. */
export async function recordCommandOutcome(
  db: Prisma.TransactionClient,
  command: Pick<ActuationCommand, 'id' | 'actuatorId'>,
  status: 'confirmed' | 'timeout' | 'failed',
  result: { state?: string; error?: string },
): Promise<void> {
  if (status === 'confirmed' && result.state !== undefined) {
    await db.actuator.update({ where: { id: command.actuatorId }, data: { state: result.state } });
  }
  await db.actuationCommand.update({
    where: { id: command.id },
    data: { status, error: result.error ?? null, confirmedAt: status === 'confirmed' ? new Date() : null },
  });
}

/** Commands pending or sent since before `cutoff`, oldest first, after `after`. */
export function findUnfinishedCommands(
  db: Prisma.TransactionClient,
  cutoff: Date,
  take: number,
  after?: string,
): Promise<{ id: string }[]> {
  return db.actuationCommand.findMany({
    where: { status: { in: ['pending', 'sent'] }, createdAt: { lt: cutoff } },
    select: { id: true },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    take,
    ...(after ? { cursor: { id: after }, skip: 1 } : {}),
  });
}

export function findActuatorConfigs(db: Prisma.TransactionClient): Promise<Pick<Actuator, 'id' | 'kind' | 'config'>[]> {
  return db.actuator.findMany({ select: { id: true, kind: true, config: true } });
}

export async function updateActuatorConfig(db: Prisma.TransactionClient, id: string, config: Prisma.InputJsonValue): Promise<void> {
  await db.actuator.update({ where: { id }, data: { config } });
}
