import { Queue } from 'bullmq';
import {
  AlarmEventJobSchema,
  jobId,
  MeterAdaptJobSchema,
  QueueName,
  type AlarmEventJob,
  type MeterAdaptJob,
} from '@metertwin/contracts';
import { webConfig } from './config';

const g = globalThis as typeof globalThis & { __mtAlarmEventQueue?: Queue; __mtMeterAdaptQueue?: Queue };

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

export async function closeQueues(): Promise<void> {
  await Promise.all([g.__mtAlarmEventQueue?.close(), g.__mtMeterAdaptQueue?.close()]);
  g.__mtAlarmEventQueue = undefined;
  g.__mtMeterAdaptQueue = undefined;
}
