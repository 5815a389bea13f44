import { Queue } from 'bullmq';
import {
  AlarmEventJobSchema,
  CameraPullJobSchema,
  jobId,
  MeterAdaptJobSchema,
  NotifyJobSchema,
  QueueName,
  type AlarmEventJob,
  type CameraPullJob,
  type MeterAdaptJob,
  type NotifyJob,
} from '@metertwin/contracts';
import { webConfig } from './config';

const g = globalThis as typeof globalThis & {
  __mtAlarmEventQueue?: Queue;
  __mtMeterAdaptQueue?: Queue;
  __mtCameraPullQueue?: Queue;
  __mtNotifyQueue?: Queue;
};

/** A queue a service consumes, under the services' QUEUE_PREFIX. */
function queue(name: QueueName): Queue {
  const config = webConfig();
  return new Queue(name, {
    connection: { url: config.REDIS_URL, maxRetriesPerRequest: 1 },
    prefix: config.QUEUE_PREFIX,
  });
}

/** The alarm-event queue notify consumes; one per process. */
function alarmEventQueue(): Queue {
  g.__mtAlarmEventQueue ??= queue(QueueName.AlarmEvent);
  return g.__mtAlarmEventQueue;
}

/** Validated like every producer's payload; the job id makes a repeated enqueue of one change harmless. */
export async function enqueueAlarmEvent(job: AlarmEventJob): Promise<void> {
  const payload = AlarmEventJobSchema.parse(job);
  await alarmEventQueue().add(QueueName.AlarmEvent, payload, {
    jobId: `${payload.alarmId}-${payload.event}`,
    attempts: 5,
    backoff: { type: 'exponential', delay: 1000 },
    removeOnComplete: 1000,
    removeOnFail: 5000,
  });
}

/**
 * Asks recognize for a new adapter of the meter. Deduplicated per meter and kind while one waits or
 * runs (the run uses every label there is by then); once it has finished, the next request queues anew.
 */
export async function enqueueMeterAdapt(job: MeterAdaptJob): Promise<void> {
  const payload = MeterAdaptJobSchema.parse(job);
  g.__mtMeterAdaptQueue ??= queue(QueueName.MeterAdapt);
  await g.__mtMeterAdaptQueue.add(QueueName.MeterAdapt, payload, {
    deduplication: { id: jobId.meterAdapt(payload.meterId, payload.kind) },
    attempts: 3,
    backoff: { type: 'exponential', delay: 10_000 },
    removeOnComplete: 1000,
    removeOnFail: 5000,
  });
}

/**
 * Hands a reviewed reading to notify again (rules, webhooks, exports), under the review's own job id.
 * The review cleared the reading's notifiedAt first, so a job Redis did not take is added by notify's
 * reconciler instead.
 */
export async function enqueueReviewedReading(job: NotifyJob, reviewedAt: Date): Promise<void> {
  const payload = NotifyJobSchema.parse(job);
  g.__mtNotifyQueue ??= queue(QueueName.Notify);
  await g.__mtNotifyQueue.add(QueueName.Notify, payload, {
    jobId: jobId.notify(payload.readingId, reviewedAt),
    attempts: 5,
    backoff: { type: 'exponential', delay: 1000 },
    removeOnComplete: { age: 24 * 3600, count: 5_000 },
    removeOnFail: { age: 14 * 24 * 3600 },
  });
}

/** Redis did not take a job: nothing was done, the user may try again. */
export class QueueUnreachableError extends Error {}

/** A photo from the camera now: a one-off job next to its schedule's (its own id, so it never replaces one). */
export async function enqueueCameraPull(job: CameraPullJob): Promise<void> {
  const payload = CameraPullJobSchema.parse(job);
  g.__mtCameraPullQueue ??= queue(QueueName.CameraPull);
  try {
    await g.__mtCameraPullQueue.add(QueueName.CameraPull, payload, {
      jobId: `${payload.deviceId}-now-${Date.now()}`,
      attempts: 1,
      removeOnComplete: 100,
      removeOnFail: 500,
    });
  } catch (error) {
    throw new QueueUnreachableError(`the queue cannot be reached: ${(error as Error).message}`);
  }
}

export async function closeQueues(): Promise<void> {
  await Promise.all([g.__mtAlarmEventQueue?.close(), g.__mtMeterAdaptQueue?.close(), g.__mtCameraPullQueue?.close(), g.__mtNotifyQueue?.close()]);
  g.__mtNotifyQueue = undefined;
  g.__mtAlarmEventQueue = undefined;
  g.__mtMeterAdaptQueue = undefined;
  g.__mtCameraPullQueue = undefined;
}
