import { Queue } from 'bullmq';
import { AlarmEventJobSchema, QueueName, type AlarmEventJob } from '@metertwin/contracts';
import { webConfig } from './config';

const g = globalThis as typeof globalThis & { __mtAlarmEventQueue?: Queue };

/** The alarm-event queue notify consumes, under the services' QUEUE_PREFIX; one per process. */
function alarmEventQueue(): Queue {
  const config = webConfig();
  g.__mtAlarmEventQueue ??= new Queue(QueueName.AlarmEvent, {
    connection: { url: config.REDIS_URL, maxRetriesPerRequest: 1 },
    prefix: config.QUEUE_PREFIX,
  });
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

export async function closeQueues(): Promise<void> {
  await g.__mtAlarmEventQueue?.close();
  g.__mtAlarmEventQueue = undefined;
}
