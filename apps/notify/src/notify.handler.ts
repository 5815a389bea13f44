import { Inject, Injectable } from '@nestjs/common';
import { findRulesForMeter } from '@metertwin/alarms';
import { jobId, QueueName, WebhookEventType, type NotifyJob } from '@metertwin/contracts';
import type { PrismaClient } from '@metertwin/db';
import { CONFIG, OnJob, PRISMA, QueueService, UnrecoverableError, type JobContext } from '@metertwin/service-kit';
import type { NotifyEnv } from './config.js';
import { findReadingToNotify, isLatestAccepted, markNotified } from './reading.repository.js';
import { HomeAssistantPublisher } from './home-assistant/home-assistant.publisher.js';
import { RuleEvaluator } from './rule-evaluator.service.js';
import { InfluxWriter } from './timeseries/index.js';
import { WebhookService } from './webhook.service.js';

/** Runs the meter's rules over a stored reading and raises or clears alarms. */
@Injectable()
export class NotifyHandler {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    private readonly evaluator: RuleEvaluator,
    private readonly webhooks: WebhookService,
    private readonly homeAssistant: HomeAssistantPublisher,
    private readonly influx: InfluxWriter,
    private readonly queues: QueueService,
    @Inject(CONFIG) private readonly config: NotifyEnv,
  ) {}

  @OnJob({ queue: QueueName.Notify, concurrency: 4 })
  async evaluate(job: NotifyJob, { log }: JobContext): Promise<void> {
    const reading = await findReadingToNotify(this.prisma, job.readingId);
    if (!reading) throw new UnrecoverableError(`reading ${job.readingId} does not exist`);
    if (reading.status === 'accepted') {
      // Idempotent by event id: a retried job queues nothing new.
      await this.webhooks.emit(
        reading.meter.orgId,
        WebhookEventType.ReadingAccepted,
        `${WebhookEventType.ReadingAccepted}:${reading.id}`,
        {
          readingId: reading.id,
          meterId: reading.meterId,
          captureId: reading.captureId,
          value: reading.value,
          numeric: reading.numeric === null ? null : reading.numeric.toNumber(),
          takenAt: reading.takenAt.toISOString(),
        },
        reading.createdAt,
      );
      // Its own job: an InfluxDB that is down is retried there and holds no alarm back.
      if (this.influx.enabled && reading.numeric !== null) {
        await this.queues.add(QueueName.TimeSeriesExport, { v: 1, readingId: reading.id }, {
          jobId: jobId.timeSeriesExport(reading.id),
          // With the default 5 s backoff, an InfluxDB outage of up to about two days is bridged.
          attempts: 15,
          backoff: { type: 'exponential', delay: this.config.INFLUX_BACKOFF_MS },
        });
      }
    }
    // a photo taken in before the meter was archived still makes its reading (history is kept), but an
    // archived meter raises no new alarms
    if (reading.meter.archivedAt) log.info({ meterId: reading.meterId }, 'meter archived: rules not evaluated');
    else await this.evaluator.evaluateMeter({
      meter: reading.meter,
      rules: await findRulesForMeter(this.prisma, reading.meter),
      reading: {
        id: reading.id,
        captureId: reading.captureId,
        meterId: reading.meterId,
        numeric: reading.numeric === null ? null : reading.numeric.toNumber(),
        status: reading.status,
        takenAt: reading.takenAt,
      },
      // The reading's own time, not the wall clock: a retried job or a backlog drained late gives the
      // same answer as a prompt one. Silence against the wall clock is the rule timer's business.
      now: reading.takenAt,
      log,
    });
    if (reading.status === 'accepted' && reading.numeric !== null && reading.meter.org.homeAssistant) {
      // Only the meter's latest reading: HA reads a lower total_increasing state as a meter replaced.
      if (await isLatestAccepted(this.prisma, reading.meterId, reading.id)) {
        // Best effort: the rules have run; a broker that is down must not hold alarms back (the next reading publishes the state again).
        await this.homeAssistant
          .publish(reading.meter.org, reading.meter, { id: reading.id, numeric: reading.numeric.toNumber(), takenAt: reading.takenAt, confidence: reading.confidence })
          .catch((error: Error) => log.warn({ err: error.message }, 'home assistant: reading not published'));
      }
    }
    // Last: until this is written, the reconciler drives the reading on (a lost or failed job).
    await markNotified(this.prisma, reading.id);
  }
}
