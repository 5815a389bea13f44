import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { QueueName, type PhotoRetentionJob } from '@metertwin/contracts';
import type { PrismaClient } from '@metertwin/db';
import {
  CONFIG,
  LOGGER,
  MetricsService,
  OnJob,
  PRISMA,
  QueueService,
  RecurringJob,
  STORAGE,
  type JobContext,
  type Logger,
} from '@metertwin/service-kit';
import type { ImageStorage } from '@metertwin/storage';
import type { IngestEnv } from '../config.js';
import {
  findExpiredPhotos,
  markPhotosDeleted,
  recordRetentionRun,
} from './photo-retention.repository.js';
import {
  deleteCapturesKeepingRollups,
  findExpiredCaptures,
  recordReadingRetentionRun,
} from './reading-retention.repository.js';
import { findOrgsWithRetention } from './retention.repository.js';

/** Id of the BullMQ job scheduler behind the daily run (one run per period across replicas). */
export const PHOTO_RETENTION_SCHEDULER = 'photo-retention';
const BATCH = 500;
const DAY_MS = 24 * 3_600_000;
const HOUR_MS = 3_600_000;

/**
 * The daily retention run (RETENTION_EVERY_MS). Photos: deletes those organizations no longer want kept
 * (Organization.photoRetentionDays); the capture row and its reading stay, marked photoDeletedAt. The file
 * goes first and the mark after: a run cut short between the two deletes nothing twice (a missing file is
 * already deleted) and marks it the next time. Readings: deletes the readings older than
 * Organization.readingRetentionDays with their captures and photos, keeping the hourly roll-ups (charts
 * keep the history). Each part records per organization what it deleted (audit log and metrics).
 */
@Injectable()
export class PhotoRetentionHandler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly timer: RecurringJob<typeof QueueName.PhotoRetention>;
  private readonly photosDeleted;
  private readonly bytesFreed;
  private readonly readingsDeleted;

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
    this.photosDeleted = metrics.counter(
      'metertwin_retention_photos_deleted_total',
      'Photos deleted by retention',
    );
    this.bytesFreed = metrics.counter(
      'metertwin_retention_bytes_freed_total',
      'Storage bytes freed by retention',
    );
    this.readingsDeleted = metrics.counter(
      'metertwin_retention_readings_deleted_total',
      'Readings deleted by retention',
    );
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
    const failed = (await this.expirePhotos(now, log)) + (await this.expireReadings(now, log));
    if (failed > 0)
      throw new Error(`retention: ${failed} photos could not be deleted; the next run tries again`);
  }

  /** Photo retention; returns how many photos could not be deleted. */
  private async expirePhotos(now: Date, log: Logger): Promise<number> {
    let failed = 0;
    for (const org of await findOrgsWithRetention(this.prisma, 'photoRetentionDays')) {
      const before = new Date(now.getTime() - org.days * DAY_MS);
      const freed = { photos: 0, bytes: 0 };
      // Each batch goes on from the meter the previous one ended in (it may have more expired photos).
      let fromMeterId = '';
      for (;;) {
        const photos = await findExpiredPhotos(this.prisma, org.id, before, BATCH, fromMeterId);
        fromMeterId = photos.at(-1)?.meterId ?? fromMeterId;
        const deleted = await this.deleteFiles(photos, log);
        await markPhotosDeleted(this.prisma, [...deleted], now);
        freed.photos += deleted.size;
        freed.bytes += photos.filter((p) => deleted.has(p.id)).reduce((sum, p) => sum + p.bytes, 0);
        failed += photos.length - deleted.size;
        // A batch with failures leaves those photos for the next run instead of finding them again now.
        if (photos.length < BATCH || deleted.size < photos.length) break;
      }
      if (freed.photos === 0) continue;
      await recordRetentionRun(this.prisma, org.id, {
        ...freed,
        olderThanDays: org.days,
        before,
      });
      this.photosDeleted.inc(freed.photos);
      this.bytesFreed.inc(freed.bytes);
      log.info(
        { orgId: org.id, photos: freed.photos, bytesFreed: freed.bytes, before },
        'retention: photos deleted',
      );
    }
    return failed;
  }

  /**
   * Reading retention, in batches of captures with their readings; returns how many photos could not be
   * deleted (their rows wait for the next run). The cut-off is a whole hour, so an hour's roll-up keeps
   * every reading it summed.
   */
  private async expireReadings(now: Date, log: Logger): Promise<number> {
    let failed = 0;
    for (const org of await findOrgsWithRetention(this.prisma, 'readingRetentionDays')) {
      const before = new Date(
        Math.floor((now.getTime() - org.days * DAY_MS) / HOUR_MS) * HOUR_MS,
      );
      const gone = { readings: 0, captures: 0 };
      // As for photos: each batch goes on from the meter the previous one ended in.
      let fromMeterId = '';
      for (;;) {
        const captures = await findExpiredCaptures(this.prisma, org.id, before, BATCH, fromMeterId);
        fromMeterId = captures.at(-1)?.meterId ?? fromMeterId;
        const withPhoto = captures.filter(
          (c): c is typeof c & { storageKey: string } => c.storageKey !== null,
        );
        const deleted = await this.deleteFiles(withPhoto, log);
        const ids = captures.filter((c) => c.storageKey === null || deleted.has(c.id));
        await deleteCapturesKeepingRollups(
          this.prisma,
          ids.map((c) => c.id),
        );
        gone.captures += ids.length;
        gone.readings += ids.filter((c) => c.hasReading).length;
        failed += captures.length - ids.length;
        if (captures.length < BATCH || ids.length < captures.length) break;
      }
      if (gone.captures === 0) continue;
      await recordReadingRetentionRun(this.prisma, org.id, {
        ...gone,
        olderThanDays: org.days,
        before,
      });
      this.readingsDeleted.inc(gone.readings);
      log.info({ orgId: org.id, ...gone, before }, 'retention: readings deleted');
    }
    return failed;
  }

  /** Deletes the photo files from storage; the ids of those gone (a failure is logged, not thrown). */
  private async deleteFiles(photos: { id: string; storageKey: string }[], log: Logger): Promise<Set<string>> {
    const ids = new Set<string>();
    for (const photo of photos) {
      try {
        await this.storage.delete(photo.storageKey);
        ids.add(photo.id);
      } catch (error) {
        log.warn({ captureId: photo.id, err: (error as Error).message }, 'retention: photo not deleted');
      }
    }
    return ids;
  }
}
