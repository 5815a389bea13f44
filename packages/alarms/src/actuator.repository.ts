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
