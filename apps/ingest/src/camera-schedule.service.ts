import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { QueueName } from '@metertwin/contracts';
import type { PrismaClient } from '@metertwin/db';
import { CONFIG, LOGGER, PeriodicTask, PRISMA, QueueService, type Logger } from '@metertwin/service-kit';
import type { IngestEnv } from './config.js';
import { findScheduledCameras } from './device.repository.js';

const SCHEDULER_PREFIX = 'pull-';

/**
 * Keeps one BullMQ job scheduler per pulled camera in step with the devices table. Several ingest
 * replicas may run this: upserting a scheduler is idempotent.
 */
@Injectable()
export class CameraScheduleService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly task: PeriodicTask;

  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(CONFIG) private readonly config: IngestEnv,
    @Inject(LOGGER) log: Logger,
    private readonly queues: QueueService,
  ) {
    this.task = new PeriodicTask(log, { run: () => this.sync(), failure: { message: 'camera schedule sync failed' } });
  }

  /** Not awaited: a service started while Redis is down must still start (and say so on /healthz). */
  onApplicationBootstrap(): void {
    this.task.start(this.config.SCHEDULE_SYNC_MS);
  }

  onModuleDestroy(): Promise<void> {
    return this.task.stop();
  }

  /** Upserts a scheduler per pulled camera and removes the others; the timer runs it, tests call it. */
  async sync(): Promise<void> {
    const queue = this.queues.get(QueueName.CameraPull);
    // an archived meter's cameras are not pulled (their schedulers are removed below)
    const devices = await findScheduledCameras(this.prisma);
    const wanted = new Set<string>();
    for (const device of devices) {
      const id = `${SCHEDULER_PREFIX}${device.id}`;
      wanted.add(id);
      await this.queues.bounded(queue.upsertJobScheduler(
        id,
        { every: device.pullIntervalSec! * 1000 },
        {
          name: QueueName.CameraPull,
          data: { v: 1, meterId: device.meterId, deviceId: device.id },
          opts: { attempts: 3, backoff: { type: 'exponential', delay: 1_000 }, removeOnComplete: 100, removeOnFail: 500 },
        },
      ));
    }
    for (const scheduler of await this.queues.bounded(queue.getJobSchedulers())) {
      const key = scheduler.key;
      if (key.startsWith(SCHEDULER_PREFIX) && !wanted.has(key)) await this.queues.bounded(queue.removeJobScheduler(key));
    }
  }
}
