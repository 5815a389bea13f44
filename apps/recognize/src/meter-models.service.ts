import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { promotedAdapter, type MeterAdapter, type PrismaClient } from '@metertwin/db';
import { loadDigitClassifier, type DigitClassifier } from '@metertwin/recognizer';
import { CONFIG, PRISMA, STORAGE, type JobContext } from '@metertwin/service-kit';
import type { ImageStorage } from '@metertwin/storage';
import { fetchAdapterFiles } from './adapter-files.js';
import type { RecognizeEnv } from './config.js';
import { DIGIT_CLASSIFIER } from './digit-classifier.provider.js';

/** The digit model a meter's drums are read with, the adapter it is (null: the base model), and that adapter's learned threshold. */
export interface MeterClassifier {
  classifier: DigitClassifier;
  adapterId: string | null;
  /** null: the adapter learned none, or the base model reads: the service's threshold applies. */
  minConfidence: number | null;
}

/**
 * The digit model of each meter: its promoted adapter, loaded from the storage once and kept in a small
 * least-recently-used cache keyed by adapter id (a promotion or a restore changes the id, so nothing
 * stale is served), or the base model when it has none or its adapter cannot be loaded.
 */
@Injectable()
export class MeterModels implements OnApplicationShutdown {
  /** Insertion order is use order: the first entry is the least recently used. */
  private readonly cache = new Map<string, Promise<DigitClassifier>>();

  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(DIGIT_CLASSIFIER) private readonly base: DigitClassifier,
    @Inject(STORAGE) private readonly storage: ImageStorage,
    @Inject(CONFIG) private readonly config: RecognizeEnv,
  ) {}

  async digitsFor(meterId: string, log: JobContext['log']): Promise<MeterClassifier> {
    const adapter = await promotedAdapter(this.prisma, meterId, 'digits');
    if (!adapter) return { classifier: this.base, adapterId: null, minConfidence: null };
    try {
      return { classifier: await this.load(adapter), adapterId: adapter.id, minConfidence: adapter.minConfidence };
    } catch (error) {
      // A broken or missing adapter must not stop the meter's readings: the base model reads them.
      log.warn({ adapterId: adapter.id, err: (error as Error).message }, 'adapter not loaded: reading with the base model');
      return { classifier: this.base, adapterId: null, minConfidence: null };
    }
  }

  private load(adapter: MeterAdapter): Promise<DigitClassifier> {
    const cached = this.cache.get(adapter.id);
    if (cached) {
      this.cache.delete(adapter.id);
      this.cache.set(adapter.id, cached);
      return cached;
    }
    const loading = this.fetch(adapter);
    // A failed load is tried again on the next reading, not remembered.
    loading.catch(() => this.cache.delete(adapter.id));
    this.cache.set(adapter.id, loading);
    for (const [id, evicted] of this.cache) {
      if (this.cache.size <= this.config.ADAPTER_CACHE_SIZE) break;
      this.cache.delete(id);
      void evicted.then((c) => c.dispose(), () => undefined);
    }
    return loading;
  }

  private async fetch(adapter: MeterAdapter): Promise<DigitClassifier> {
    const dir = await mkdtemp(path.join(tmpdir(), 'metertwin-adapter-'));
    try {
      await fetchAdapterFiles(this.storage, adapter.storagePrefix, dir);
      const classifier = await loadDigitClassifier(dir);
      if (classifier.version !== adapter.version) {
        classifier.dispose();
        throw new Error(`stored weights are version ${classifier.version}, the row says ${adapter.version}`);
      }
      return classifier;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  async onApplicationShutdown(): Promise<void> {
    const loaded = await Promise.allSettled(this.cache.values());
    for (const l of loaded) if (l.status === 'fulfilled') l.value.dispose();
    this.cache.clear();
  }
}
