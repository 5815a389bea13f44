import { Inject, Injectable } from '@nestjs/common';
import type { CameraPullJob } from '@metertwin/contracts';
import { QueueName } from '@metertwin/contracts';
import type { PrismaClient } from '@metertwin/db';
import { CONFIG, OnJob, PRISMA, UnrecoverableError, type JobContext } from '@metertwin/service-kit';
import { ImageRejectedError } from '@metertwin/vision';
import { CaptureService } from './capture.service.js';
import type { IngestEnv } from './config.js';
import { fetchSnapshot } from './snapshot-client.js';

/** Pulls one snapshot from a meter's camera; failures are retried with backoff and recorded on the device. */
@Injectable()
export class CameraPullHandler {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(CONFIG) private readonly config: IngestEnv,
    private readonly captures: CaptureService,
  ) {}

  @OnJob({ queue: QueueName.CameraPull, concurrency: 4 })
  async pull(job: CameraPullJob, { log }: JobContext): Promise<void> {
    const device = await this.prisma.device.findUnique({ where: { id: job.deviceId } });
    if (!device?.snapshotUrl) throw new UnrecoverableError(`device ${job.deviceId} has no snapshot URL`);

    try {
      const bytes = await fetchSnapshot({
        url: device.snapshotUrl,
        timeoutMs: device.pullTimeoutMs,
        maxBytes: this.config.MAX_IMAGE_BYTES,
        basicAuth: device.basicAuthUser
          ? { user: device.basicAuthUser, password: device.basicAuthPassword ?? '' }
          : undefined,
      });
      const accepted = await this.captures.accept({
        meterId: device.meterId,
        deviceId: device.id,
        bytes,
        source: 'pull',
        takenAt: new Date(),
      });
      await this.prisma.device.update({
        where: { id: device.id },
        data: { lastSeenAt: new Date(), lastError: null, lastErrorAt: null },
      });
      log.debug({ captureId: accepted.captureId, duplicate: accepted.duplicate }, 'snapshot pulled');
    } catch (error) {
      const message = (error as Error).message;
      await this.prisma.device.update({
        where: { id: device.id },
        data: { lastError: message, lastErrorAt: new Date() },
      });
      // A frame that is not an image will not get better by asking again for the same job.
      if (error instanceof ImageRejectedError) throw new UnrecoverableError(`camera sent a bad image: ${message}`);
      throw error;
    }
  }
}
