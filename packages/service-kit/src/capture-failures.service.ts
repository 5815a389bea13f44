import { Inject, Injectable } from '@nestjs/common';
import type { CaptureStatus, PrismaClient } from '@metertwin/db';
import { PRISMA } from './database.js';
import { LiveEventsService } from './live-events.service.js';

const UNFINISHED: CaptureStatus[] = ['received', 'preprocessed'];

/** Records why a capture could not be read, where the portal shows it. */
@Injectable()
export class CaptureFailuresService {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    private readonly live: LiveEventsService,
  ) {}

  /** The capture cannot be read: it ends `failed` with the reason (unless it got read meanwhile). */
  async record(capture: { captureId: string; meterId: string }, reason: string): Promise<void> {
    const { count } = await this.prisma.capture.updateMany({
      where: { id: capture.captureId, status: { in: UNFINISHED } },
      data: { status: 'failed', error: reason },
    });
    if (count === 0) return;
    await this.live.publish({
      v: 1,
      type: 'capture.failed',
      meterId: capture.meterId,
      captureId: capture.captureId,
      reason,
      at: new Date().toISOString(),
    });
  }

  /**
   * Why the capture's job used up its retries, leaving the capture where it is: the reconciler tries
   * it again and ends it `failed` once it gives up.
   */
  async note(capture: { captureId: string }, reason: string): Promise<void> {
    await this.prisma.capture.updateMany({
      where: { id: capture.captureId, status: { in: UNFINISHED } },
      data: { error: reason },
    });
  }
}
