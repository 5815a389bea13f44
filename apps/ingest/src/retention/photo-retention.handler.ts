import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { QueueName, type PhotoRetentionJob } from '@metertwin/contracts';
import type { PrismaClient } from '@metertwin/db';
import { CONFIG, LOGGER, MetricsService, OnJob, PRISMA, QueueService, RecurringJob, STORAGE, type JobContext, type Logger } from '@metertwin/service-kit';
import type { ImageStorage } from '@metertwin/storage';
import type { IngestEnv } from '../config.js';
import { findExpiredPhotos, findOrgsWithRetention, markPhotosDeleted, recordRetentionRun } from './photo-retention.repository.js';

/** Id of the BullMQ job scheduler behind the daily run (one run per period across replicas). */
export const PHOTO_RETENTION_SCHEDULER = 'photo-retention';
const BATCH = 500;
const DAY_MS = 24 * 3_600_000;

/**
 * Deletes the photos that organizations no longer want kept (Organization.photoRetentionDays), once
 * a day (RETENTION_EVERY_MS). The capture row and its reading stay, marked photoDeletedAt; each run
 * records per organization how many photos and bytes it freed (audit log and metrics). The file goes
 * first and the mark after: a run cut short between the two deletes nothing twice (a missing file is
 * already deleted) and marks it the next time.
 */
@Injectable()
export class PhotoRetentionHandler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly timer: RecurringJob<typeof QueueName.PhotoRetention>;
  private readonly photosDeleted;
  private readonly bytesFreed;

  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(STORAGE) private readonly storage: ImageStorage,
    @Inject(CONFIG) private readonly config: IngestEnv,
    @Inject(LOGGER) log: Logger,
    queues: QueueService,
    metrics: MetricsService,
  ) {
    this.timer = new RecurringJob(queues, log, {
      queue: QueueName.PhotoRetention,
      schedulerId: PHOTO_RETENTION_SCHEDULER,
      everyMs: config.RETENTION_EVERY_MS,
      data: { v: 1 },
      // The next run is the retry; a run again deletes nothing twice.
      opts: { attempts: 1, removeOnComplete: 30, removeOnFail: 30 },
    });
    this.photosDeleted = metrics.counter('metertwin_retention_photos_deleted_total', 'Photos deleted by retention');
    this.bytesFreed = metrics.counter('metertwin_retention_bytes_freed_total', 'Storage bytes freed by retention');
  }

  onApplicationBootstrap(): void {
    this.timer.start(this.config.RECONCILE_MS);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.timer.stop();
  }

  @OnJob({ queue: QueueName.PhotoRetention, concurrency: 1 })
  async run(job: PhotoRetentionJob, { log }: JobContext): Promise<void> {
    const now = job.at ? new Date(job.at) : new Date();
    let failed = 0;
    for (const org of await findOrgsWithRetention(this.prisma)) {
      const before = new Date(now.getTime() - org.photoRetentionDays * DAY_MS);
      const freed = { photos: 0, bytes: 0 };
      for (;;) {
        const photos = await findExpiredPhotos(this.prisma, org.id, before, BATCH);
        const deleted: string[] = [];
        for (const photo of photos) {
          try {
            await this.storage.delete(photo.storageKey);
            deleted.push(photo.id);
            freed.bytes += photo.bytes;
          } catch (error) {
            failed++;
            log.warn({ captureId: photo.id, err: (error as Error).message }, 'retention: photo not deleted');
          }
        }
        await markPhotosDeleted(this.prisma, deleted, now);
        freed.photos += deleted.length;
        // A batch with failures leaves those photos for the next run instead of finding them again now.
        if (photos.length < BATCH || deleted.length < photos.length) break;
      }
      if (freed.photos === 0) continue;
      await recordRetentionRun(this.prisma, org.id, { ...freed, olderThanDays: org.photoRetentionDays, before });
      this.photosDeleted.inc(freed.photos);
      this.bytesFreed.inc(freed.bytes);
      log.info({ orgId: org.id, photos: freed.photos, bytesFreed: freed.bytes, before }, 'retention: photos deleted');
    }
    if (failed > 0) throw new Error(`retention: ${failed} photos could not be deleted; the next run tries again`);
  }
}
