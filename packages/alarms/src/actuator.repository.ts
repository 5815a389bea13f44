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
