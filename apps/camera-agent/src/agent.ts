import { takePhoto } from './camera.js';
import { uploaderFor, type AgentConfig } from './config.js';
import { MqttCommandListener } from './mqtt-commands.js';
import type { Spool } from './spool.js';
import type { PhotoUploader } from './uploader.js';

export interface AgentHealth {
  /** ok: photos are taken and sent; degraded: the camera or the platform is failing (photos wait on disk). */
  status: 'ok' | 'degraded';
  lastPhotoAt: string | null;
  lastSentAt: string | null;
  waiting: number;
  rejected: number;
  dropped: number;
  cameraFailures: number;
  uploadFailures: number;
  nextUploadAt: string | null;
  lastError: string | null;
}

type Log = (event: string, fields?: Record<string, unknown>) => void;

const FIRST_BACKOFF_MS = 5_000;

/**
 * Takes a photo every `intervalSec`, keeps it in the spool and sends what waits there oldest first.
 * Sending stops at the first photo the platform cannot take now (down, 503) and resumes after a
 * backoff, so photos arrive in the order they were taken; a photo refused for good is set aside
 * and the rest go on. A photo is removed only after the platform answered that it has it; if the
 * agent dies between that answer and the removal, the photo is sent again and the platform knows
 * it by its content hash (stored once).
 */
export class CameraAgent {
  private photoTimer?: NodeJS.Timeout;
  private uploadTimer?: NodeJS.Timeout;
  private flushing?: Promise<void>;
  /** One photo cycle at a time: a photo asked for over MQTT waits for the scheduled one in progress. */
  private cycling: Promise<void> = Promise.resolve();
  private commands?: MqttCommandListener;
  private lastPhotoAt: Date | null = null;
  private lastSentAt: Date | null = null;
  private nextUploadAt = 0;
  private cameraFailures = 0;
  private uploadFailures = 0;
  private dropped = 0;
  private lastError: string | null = null;

  constructor(
    private readonly config: AgentConfig,
    private readonly spool: Spool,
    private readonly log: Log = () => {},
    private readonly now: () => Date = () => new Date(),
    private readonly uploader: PhotoUploader = uploaderFor(config),
  ) {}

  /** Takes one photo into the spool; a camera failure is recorded, not thrown (the next one may work). */
  async takePhoto(): Promise<boolean> {
    const takenAt = this.now();
    try {
      const photo = await takePhoto(this.config);
      const { dropped } = await this.spool.put(photo, takenAt);
      this.lastPhotoAt = takenAt;
      this.cameraFailures = 0;
      if (dropped) {
        this.dropped += dropped;
        this.log('spool.full', { dropped, maxPhotos: this.config.spool.maxPhotos });
      }
      return true;
    } catch (error) {
      this.cameraFailures++;
      this.lastError = `camera: ${(error as Error).message}`;
      this.log('photo.failed', { error: this.lastError });
      return false;
    }
  }

  /** Sends what waits, oldest first, unless a backoff is running; one flush at a time. */
  flush(): Promise<void> {
    this.flushing ??= this.sendWaiting().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  private async sendWaiting(): Promise<void> {
    if (Date.now() < this.nextUploadAt) return;
    for (const waiting of await this.spool.list()) {
      const outcome = await this.uploader.send(await this.spool.read(waiting), waiting.takenAt);
      if (outcome.kind === 'retry') {
        this.uploadFailures++;
        this.lastError = `upload: ${outcome.reason}`;
        const backoff = Math.min(this.config.maxBackoffSec * 1000, FIRST_BACKOFF_MS * 2 ** (this.uploadFailures - 1));
        const jittered = backoff * (0.8 + Math.random() * 0.4);
        this.nextUploadAt = Date.now() + Math.max(jittered, outcome.retryAfterMs ?? 0);
        this.log('upload.retry', { reason: outcome.reason, inMs: Math.round(this.nextUploadAt - Date.now()) });
        return;
      }
      if (outcome.kind === 'refused') {
        await this.spool.reject(waiting, outcome.reason);
        this.lastError = `upload: ${outcome.reason}`;
        this.log('upload.refused', { file: waiting.file, reason: outcome.reason });
      } else {
        await this.spool.remove(waiting);
        this.lastSentAt = this.now();
        this.log('upload.stored', { captureId: outcome.captureId, duplicate: outcome.duplicate, takenAt: waiting.takenAt.toISOString() });
      }
      this.uploadFailures = 0;
      this.nextUploadAt = 0;
    }
  }

  async health(): Promise<AgentHealth> {
    const waiting = (await this.spool.list()).length;
    return {
      status: this.cameraFailures > 0 || this.uploadFailures > 0 ? 'degraded' : 'ok',
      lastPhotoAt: this.lastPhotoAt?.toISOString() ?? null,
      lastSentAt: this.lastSentAt?.toISOString() ?? null,
      waiting,
      rejected: (await this.spool.rejected()).length,
      dropped: this.dropped,
      cameraFailures: this.cameraFailures,
      uploadFailures: this.uploadFailures,
      nextUploadAt: this.nextUploadAt > Date.now() ? new Date(this.nextUploadAt).toISOString() : null,
      lastError: this.lastError,
    };
  }

  /** Takes a photo and sends what waits, after the cycle in progress if there is one. */
  photoNow(): Promise<void> {
    this.cycling = this.cycling.then(async () => {
      await this.takePhoto();
      await this.flush();
    });
    return this.cycling;
  }

  /**
   * A photo now and every `intervalSec`; what waits is sent after each photo and retried every second
   * while backing off. Over MQTT, also a photo whenever the platform asks for one on the command topic.
   */
  start(): void {
    void this.photoNow();
    this.photoTimer = setInterval(() => void this.photoNow(), this.config.intervalSec * 1000);
    if (this.config.mqtt) {
      this.commands = new MqttCommandListener({ ...this.config.mqtt, meterId: this.config.meterId }, () => void this.photoNow(), this.log);
    }
    this.uploadTimer = setInterval(() => {
      if (this.nextUploadAt && Date.now() >= this.nextUploadAt) void this.flush();
    }, 1000);
  }

  async stop(): Promise<void> {
    clearInterval(this.photoTimer);
    clearInterval(this.uploadTimer);
    await this.commands?.close();
    await this.cycling;
    await this.flushing;
    await this.uploader.close();
  }
}
