import { createHash } from 'node:crypto';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { Counter } from 'prom-client';
import type { Box } from '@metertwin/contracts';
import { OcrError, type OcrErrorKind, type OcrProvider, type OcrResult } from '@metertwin/ocr';
import type { ImageStorage } from '@metertwin/storage';
import { CONFIG, MetricsService, REDIS, STORAGE } from '@metertwin/service-kit';
import type { RecognizeEnv } from './config.js';
import { cutWindow } from './counter-window.js';
import { OCR_PROVIDER } from './ocr.provider.js';

export type OcrOutcome =
  | { kind: 'read'; result: OcrResult; cached: boolean }
  | { kind: 'failed'; provider: string; error: { kind: OcrErrorKind; message: string } }
  | { kind: 'skipped'; reason: string };

export interface OcrAsk {
  meterId: string;
  storageKey: string;
  /** Capture.crops (may hold the window preprocess found) and Meter.layout (its window as a fallback). */
  crops: unknown;
  layout: unknown;
  /** The drums' boxes in the frame, most significant first. */
  digitBoxes: Box[];
}

const HOUR_MS = 3_600_000;

/**
 * Asks the cloud OCR about a capture's counter window, within the cost limits: answers are cached in
 * Redis by the window image's sha256, and calls are counted per meter and per installation in each
 * clock hour. Every ask is counted in /metrics by outcome. Never throws: an outage is an outcome.
 */
@Injectable()
export class SecondOpinionService implements OnApplicationShutdown {
  private readonly calls: Counter<'provider' | 'outcome'>;
  private readonly prefix: string;

  constructor(
    @Inject(OCR_PROVIDER) private readonly provider: OcrProvider | null,
    @Inject(CONFIG) private readonly config: RecognizeEnv,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(STORAGE) private readonly storage: ImageStorage,
    metrics: MetricsService,
  ) {
    this.prefix = `${config.QUEUE_PREFIX}:ocr`;
    this.calls = new Counter({
      name: 'metertwin_ocr_calls_total',
      help: 'Cloud OCR asks by outcome: ok, cached, rate_limited, quota, timeout, unavailable, rejected',
      labelNames: ['provider', 'outcome'] as const,
      registers: [metrics.registry],
    });
  }

  get enabled(): boolean {
    return this.provider !== null;
  }

  async ask(request: OcrAsk): Promise<OcrOutcome> {
    const provider = this.provider;
    if (!provider) return { kind: 'skipped', reason: 'no cloud OCR is configured (GOOGLE_VISION_*)' };
    let window;
    try {
      window = await cutWindow(await this.storage.get(request.storageKey), request);
    } catch (error) {
      return { kind: 'skipped', reason: `the counter window could not be cut: ${String(error)}` };
    }
    const hash = createHash('sha256')
      .update(window.png)
      .update(JSON.stringify(window.digitBoxes))
      .digest('hex');
    const cacheKey = `${this.prefix}:cache:${provider.name}:${hash}`;
    const cached = await this.redis.get(cacheKey);
    if (cached) {
      this.calls.inc({ provider: provider.name, outcome: 'cached' });
      return { kind: 'read', result: JSON.parse(cached) as OcrResult, cached: true };
    }
    const limited = await this.overLimit(request.meterId);
    if (limited) {
      this.calls.inc({ provider: provider.name, outcome: 'rate_limited' });
      return { kind: 'skipped', reason: limited };
    }
    try {
      const result = await provider.recognize({ image: window.png, digitBoxes: window.digitBoxes });
      await this.redis.set(cacheKey, JSON.stringify(result), 'EX', this.config.OCR_CACHE_TTL_SEC);
      this.calls.inc({ provider: provider.name, outcome: 'ok' });
      return { kind: 'read', result, cached: false };
    } catch (error) {
      const failure = error instanceof OcrError ? error : new OcrError('unavailable', String(error));
      this.calls.inc({ provider: provider.name, outcome: failure.kind });
      return {
        kind: 'failed',
        provider: provider.name,
        error: { kind: failure.kind, message: failure.message },
      };
    }
  }

  /**
   * Counts this call in the hour's windows and says which limit it is over, if any. A call over the
   * limit is counted too: the limit is on attempts, so a flood stays stopped for the rest of the hour.
   */
  private async overLimit(meterId: string): Promise<string | null> {
    const hour = Math.floor(Date.now() / HOUR_MS);
    const meterKey = `${this.prefix}:rate:${hour}:meter:${meterId}`;
    const globalKey = `${this.prefix}:rate:${hour}:all`;
    const replies = await this.redis
      .multi()
      .incr(meterKey)
      .expire(meterKey, 7200)
      .incr(globalKey)
      .expire(globalKey, 7200)
      .exec();
    const perMeter = Number(replies?.[0]?.[1] ?? 0);
    const all = Number(replies?.[2]?.[1] ?? 0);
    if (perMeter > this.config.OCR_MAX_CALLS_PER_METER_PER_HOUR)
      return `rate limit: more than ${this.config.OCR_MAX_CALLS_PER_METER_PER_HOUR} cloud OCR calls for this meter this hour`;
    if (all > this.config.OCR_MAX_CALLS_PER_HOUR)
      return `rate limit: more than ${this.config.OCR_MAX_CALLS_PER_HOUR} cloud OCR calls this hour`;
    return null;
  }

  // After the workers have drained (service-kit drains them in beforeApplicationShutdown).
  async onApplicationShutdown(): Promise<void> {
    await this.provider?.close();
  }
}
