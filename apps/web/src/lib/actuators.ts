import { Queue } from 'bullmq';
import { z } from 'zod';
import { ActuationJobSchema, QueueName, type ActuationJob } from '@metertwin/contracts';
import { findOrgActuatorsForList, requestManualCommand, userNamesById } from '@metertwin/alarms';
import type { ActuationStatus, PrismaClient } from '@metertwin/db';
import type { SessionUser } from './auth';
import { webConfig } from './config';

/**
 * Manual actuation from the portal: the ActuationCommand row and its audit row first (the alarms
 * package's, as for notify's /v1/actuators API), then an `actuation` job whose id is the command id,
 * which notify's worker delivers.
 */

export const MANUAL_COMMANDS = ['close', 'open'] as const;
export const ManualCommandSchema = z.object({ command: z.enum(MANUAL_COMMANDS) }).strict();
/** `until` in the future sets the override; null hands the actuator back to the rules. */
export const OverrideSchema = z
  .object({
    until: z.iso
      .datetime({ offset: true })
      .nullable()
      .refine((v) => v === null || Date.parse(v) > Date.now(), { message: 'must be in the future', params: { code: 'not-in-future' } }),
  })
  .strict();

const g = globalThis as typeof globalThis & { __mtActuationQueue?: Queue };

/** The actuation queue notify consumes, under the services' QUEUE_PREFIX; one per process. */
function actuationQueue(): Queue {
  const config = webConfig();
  g.__mtActuationQueue ??= new Queue(QueueName.Actuation, {
    connection: { url: config.REDIS_URL, maxRetriesPerRequest: 1 },
    prefix: config.QUEUE_PREFIX,
  });
  return g.__mtActuationQueue;
}

/** Job id = command id, so a repeated enqueue never makes a second command. */
export async function enqueueActuation(job: ActuationJob): Promise<void> {
  const payload = ActuationJobSchema.parse(job);
  await actuationQueue().add(QueueName.Actuation, payload, {
    jobId: payload.commandId,
    attempts: 3,
    backoff: { type: 'exponential', delay: 1000 },
    removeOnComplete: 1000,
    removeOnFail: 5000,
  });
}

export async function closeActuationQueue(): Promise<void> {
  await g.__mtActuationQueue?.close();
  g.__mtActuationQueue = undefined;
}

/**
 * A person's command from the portal: checked, recorded and audited by the alarms package (as
 * notify's API does), then queued. The command stands when Redis is down; `queued: false` tells the
 * caller it waits for the reconciler.
 */
export async function requestManualCommandFromPortal(
  deps: { prisma: PrismaClient; enqueue: (job: ActuationJob) => Promise<void> },
  user: SessionUser,
  actuatorId: string,
  command: (typeof MANUAL_COMMANDS)[number],
) {
  const created = await requestManualCommand(deps.prisma, {
    orgId: user.orgId,
    actuatorId,
    userId: user.id,
    command,
  });
  let queued = true;
  try {
    await deps.enqueue({ v: 1, commandId: created.id });
  } catch (error) {
    queued = false;
    console.error(`actuation command ${created.id} recorded, but its job was not queued:`, error);
  }
  return { id: created.id, command: created.command, status: created.status, queued };
}

export interface ActuatorRow {
  id: string;
  name: string;
  kind: string;
  state: string | null;
  overrideUntil: Date | null;
  meter: { id: string; name: string } | null;
  commands: {
    id: string;
    command: string;
    status: ActuationStatus;
    requestedBy: string;
    error: string | null;
    createdAt: Date;
  }[];
}

/** The organization's actuators with their last 10 commands, newest first. */
export async function listActuators(prisma: PrismaClient, orgId: string): Promise<ActuatorRow[]> {
  const rows = await findOrgActuatorsForList(prisma, orgId, 10);
  // "user:<id>" shows as the person's name; "rule:<id>" stays as it is.
  const requesters = rows.flatMap((r) => r.commands.map((c) => c.requestedBy));
  const names = await userNamesById(
    prisma,
    orgId,
    requesters.filter((v) => v.startsWith('user:')).map((v) => v.slice(5)),
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    kind: r.kind,
    state: r.state,
    overrideUntil: r.overrideUntil,
    meter: r.meter,
    commands: r.commands.map((c) => ({
      ...c,
      requestedBy: names.get(c.requestedBy.replace(/^user:/, '')) ?? c.requestedBy,
    })),
  }));
}
