import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { QueueName, type MeterAdaptJob } from '@metertwin/contracts';
import { adapterLabels, findAdapterSamples, findConfirmedReadingDrums, promotedAdapter, recordAdapter, type PrismaClient } from '@metertwin/db';
import { decideTrust, learnDrive, meterThreshold, onlyDriveOfStored } from '@metertwin/readings';
import { adaptRecognizer } from '@metertwin/recognizer';
import { CONFIG, OnJob, PRISMA, STORAGE, type JobContext } from '@metertwin/service-kit';
import { ImageNotFoundError, type ImageStorage } from '@metertwin/storage';
import { adapterPrefix, storeAdapterFiles } from './adapter-files.js';
import { adapterVerdict } from './adapter-verdict.js';
import type { RecognizeEnv } from './config.js';

/**
 * Trains a meter's adapter on its labels (operator confirmations and corrections: TrainingSample rows,
 * never the model's own guesses), judges it on the held-back ones against the base model, stores it and
 * promotes it only when it is better; decides the meter's trust from the figures of the model it will
 * read with, and the adapter's own acceptance threshold from its answers on them; and the meter's drive
 * from the readings operators confirmed.
 */
@Injectable()
export class AdaptHandler {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(STORAGE) private readonly storage: ImageStorage,
    @Inject(CONFIG) private readonly config: RecognizeEnv,
  ) {}

  @OnJob({ queue: QueueName.MeterAdapt, concurrency: 1 })
  async adapt(job: MeterAdaptJob, { log }: JobContext): Promise<void> {
    const labels = await adapterLabels(this.prisma, job.meterId, job.kind);
    // A repeated job after a run that already used every label.
    if (labels.sinceLast <= 0) return log.info({ labels: labels.total }, 'no new labels since the last adapter');

    const work = await mkdtemp(path.join(tmpdir(), 'metertwin-adapt-'));
    try {
      const dataDir = path.join(work, 'labels');
      const historyDir = path.join(work, 'history');
      const used = await this.writeLabels(job, dataDir, historyDir, log);
      const outDir = path.join(work, 'model');
      const report = await adaptRecognizer({
        kind: job.kind,
        dataDir,
        outDir,
        modelDir: this.config.DIGIT_MODEL_DIR,
        replayDirs: used.history ? [...this.config.ADAPT_REPLAY_DIRS, historyDir] : this.config.ADAPT_REPLAY_DIRS,
        steps: this.config.ADAPT_STEPS,
      });
      const id = randomUUID();
      const storagePrefix = adapterPrefix(job.meterId, id);
      await storeAdapterFiles(this.storage, storagePrefix, outDir);

      const verdict = adapterVerdict(report);
      // Trust is judged on the model the meter will read with. A rejected adapter leaves an earlier
      // promoted one in use, whose figures were taken on other labels: its decision stands.
      const inUse = verdict.promote ? report.heldBack.adapted : (await promotedAdapter(this.prisma, job.meterId, job.kind)) ? null : report.heldBack.base;
      const trust = inUse ? decideTrust(inUse, labels.readings) : null;
      // The adapter's own threshold, from its answers on the same held-back labels; used while it is promoted.
      const threshold = meterThreshold(report.heldBack.adapted.answers, labels.readings, this.config.MIN_DIGIT_CONFIDENCE);
      // The meter's drive, from the readings operators confirmed as read (used where its rules say `auto`).
      const drive = job.kind === 'digits' ? learnDrive((await findConfirmedReadingDrums(this.prisma, job.meterId)).map((r) => onlyDriveOfStored(r.digits))) : null;
      const adapter = await recordAdapter(this.prisma, {
        id,
        meterId: job.meterId,
        kind: job.kind,
        version: report.version,
        baseVersion: report.baseVersion,
        storagePrefix,
        labelCount: used.rows,
        heldBack: { base: { ...report.heldBack.base }, adapted: { ...report.heldBack.adapted }, labels: { ...report.labels }, steps: report.steps },
        minConfidence: threshold.minConfidence,
        threshold: { ...threshold.figures, serviceMin: this.config.MIN_DIGIT_CONFIDENCE, reason: threshold.reason },
        verdict,
        ...(trust ? { trust: { trust: trust.trust, figures: { ...trust.figures, reason: trust.reason } } } : {}),
        ...(drive ? { drive: { drive: drive.drive, figures: { ...drive.figures, outcome: drive.outcome, reason: drive.reason } } } : {}),
      });
      log.info({ adapterId: adapter.id, status: adapter.status, reason: adapter.reason, trust: trust?.trust, minConfidence: threshold.minConfidence, learnedDrive: drive?.drive }, 'adapter trained');
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }

  /**
   * The meter's labeled crops as `<label>_<sha>.png` files (the recognizer's dataset naming): operator
   * labels in `own` (every fifth held back to judge the adapter and the meter's trust), history-proven
   * ones in `history`, replayed beside them and never held back (they are the drums that rarely change:
   * judged on them, any model would look reliable). Returns how many rows were counted, and whether
   * `history` has any.
   */
  private async writeLabels(job: MeterAdaptJob, own: string, history: string, log: JobContext['log']): Promise<{ rows: number; history: boolean }> {
    await mkdir(own, { recursive: true });
    await mkdir(history, { recursive: true });
    const samples = await findAdapterSamples(this.prisma, job.meterId, job.kind);
    let proven = 0;
    for (const s of samples) {
      const dir = s.source === 'history' ? history : own;
      try {
        await writeFile(path.join(dir, `${s.label.toFixed(1)}_${s.sha256.slice(0, 16)}.png`), await this.storage.get(s.storageKey));
        if (dir === history) proven++;
      } catch (error) {
        if (!(error instanceof ImageNotFoundError)) throw error;
        log.warn({ sampleId: s.id, storageKey: s.storageKey }, 'labeled crop missing from storage: left out');
      }
    }
    return { rows: samples.length, history: proven > 0 };
  }
}
