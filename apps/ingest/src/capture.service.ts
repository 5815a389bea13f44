import { createHash } from 'node:crypto';
import { HttpException, Inject, Injectable } from '@nestjs/common';
import { jobId, QueueName } from '@metertwin/contracts';
import { Prisma, type CaptureSource, type PrismaClient } from '@metertwin/db';
import { LOGGER, PRISMA, QueueService, STORAGE, type Logger } from '@metertwin/service-kit';
import { captureKey, type ImageStorage } from '@metertwin/storage';
import { probeImage } from '@metertwin/vision';
import { createCapture, findCaptureBySha } from './capture.repository.js';
import type { DeviceReading } from './device-reading.js';

/** The image storage has no room: nothing was accepted, the device keeps its frame and sends it later (507). */
export class StorageFullError extends HttpException {
  readonly retryAfterSeconds = 300;

  constructor() {
    super('the image storage is full: nothing was stored; send the frame again later', 507);
  }
}

export interface IncomingImage {
  meterId: string;
  deviceId: string | null;
  bytes: Buffer;
  source: CaptureSource;
  takenAt: Date;
  /** The camera's own reading of this photo (pulled cameras with a readingUrl). */
  deviceReading?: DeviceReading;
}

export interface AcceptedCapture {
  captureId: string;
  duplicate: boolean;
}

/**
 * Accepts a frame: checks that it is a real image, stores it content-addressed, records the capture
 * and hands it to preprocess. The same bytes for the same meter are one capture. When Redis does not
 * take the job in time, the capture is kept and a QueueUnavailableError (503) goes back.
 */
@Injectable()
export class CaptureService {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(STORAGE) private readonly storage: ImageStorage,
    @Inject(LOGGER) private readonly log: Logger,
    private readonly queues: QueueService,
  ) {}

  async accept(image: IncomingImage): Promise<AcceptedCapture> {
    const info = await probeImage(image.bytes);
    const sha256 = createHash('sha256').update(image.bytes).digest('hex');

    const existing = await findCaptureBySha(this.prisma, image.meterId, sha256);
    if (existing) return { captureId: existing.id, duplicate: true };

    const contentType = info.format === 'png' ? 'image/png' : 'image/jpeg';
    const storageKey = captureKey(image.meterId, sha256, contentType);
    try {
      await this.storage.put(storageKey, image.bytes, contentType);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOSPC') throw new StorageFullError();
      throw error;
    }

    let captureId: string;
    try {
      const capture = await createCapture(this.prisma, {
        meterId: image.meterId,
        deviceId: image.deviceId,
        sha256,
        storageKey,
        contentType,
        bytes: image.bytes.length,
        width: info.width,
        height: info.height,
        source: image.source,
        takenAt: image.takenAt,
        ...(image.deviceReading ? { deviceReading: image.deviceReading } : {}),
      });
      captureId = capture.id;
    } catch (error) {
      // Two uploads of the same frame raced: the other one won, and it is the capture.
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
        const winner = await findCaptureBySha(this.prisma, image.meterId, sha256);
        if (winner) return { captureId: winner.id, duplicate: true };
      }
      throw error;
    }

    try {
      await this.enqueue(captureId, image.meterId);
    } catch (error) {
      // The capture row stays: the reconciler queues it once Redis answers again. The device hears
      // 503 (QueueUnavailableError) and sends the frame again later, which is then a duplicate.
      this.log.error({ captureId, err: (error as Error).message }, 'capture stored but not queued; the reconciler will queue it');
      throw error;
    }
    this.log.info({ captureId, meterId: image.meterId, source: image.source, bytes: image.bytes.length }, 'capture accepted');
    return { captureId, duplicate: false };
  }

  /** Hands the capture to preprocess; `again` re-cuts one already preprocessed (its finished job is replaced). */
  async enqueue(captureId: string, meterId: string, { again = false } = {}): Promise<void> {
    const job = { v: 1, captureId, meterId } as const;
    const options = { jobId: jobId.preprocess(captureId) };
    await (again ? this.queues.readd(QueueName.Preprocess, job, options) : this.queues.add(QueueName.Preprocess, job, options));
  }
}
