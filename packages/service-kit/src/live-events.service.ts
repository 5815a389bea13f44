import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { LiveChannel, LiveEventSchema, type LiveEvent } from '@metertwin/contracts';
import { LOGGER, type Logger } from './logger.js';
import { REDIS } from './tokens.js';

/** Publishes what the portal shows live. Best effort: a lost live event never fails a job. */
@Injectable()
export class LiveEventsService {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async publish(event: LiveEvent): Promise<void> {
    try {
      await this.redis.publish(LiveChannel, JSON.stringify(LiveEventSchema.parse(event)));
    } catch (error) {
      this.log.warn({ err: (error as Error).message, type: event.type }, 'live event not published');
    }
  }
}
