import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { HomeAssistantTopic } from '@metertwin/contracts';
import type { PrismaClient } from '@metertwin/db';
import { CONFIG, LOGGER, PeriodicTask, PRISMA, type Logger } from '@metertwin/service-kit';
import type { NotifyEnv } from '../config.js';
import { HomeAssistantPublisher } from './home-assistant.publisher.js';
import { findRetainedPage, forgetRetained } from './retained.repository.js';

const PAGE = 500;

type Recorded = Awaited<ReturnType<typeof findRetainedPage>>[number];

/** Whether HA should still see the topic: its meter exists, is in service, and its organization has HA on under this prefix and slug. */
function wanted({ topic, meterId, meter }: Recorded): boolean {
  if (!meter || meter.archivedAt || !meter.org.homeAssistant) return false;
  return topic === HomeAssistantTopic.config(meter.org.homeAssistantPrefix, meterId) || topic === HomeAssistantTopic.state(meter.org.slug, meterId);
}

/**
 * Takes back what HA should no longer see: at start and every HA_SWEEP_MS, each retained message
 * notify recorded (HomeAssistantRetained) whose organization turned HA off or changed its discovery
 * prefix, or whose meter was archived or deleted, is cleared on the broker (an empty retained
 * payload, which removes the entity from HA) and forgotten. Several replicas sweeping at once clear a
 * topic twice, which is harmless.
 */
@Injectable()
export class HomeAssistantSweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly task: PeriodicTask;

  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(CONFIG) private readonly config: NotifyEnv,
    @Inject(LOGGER) private readonly log: Logger,
    private readonly publisher: HomeAssistantPublisher,
  ) {
    this.task = new PeriodicTask(log, { run: () => this.sweep(), failure: { message: 'home assistant: sweep failed', level: 'warn' } });
  }

  onApplicationBootstrap(): void {
    if (!this.publisher.enabled) return;
    this.task.start(this.config.HA_SWEEP_MS);
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }

  private async sweep(): Promise<void> {
    let after: string | undefined;
    for (;;) {
      const page = await findRetainedPage(this.prisma, PAGE, after);
      const stale = page.filter((row) => !wanted(row)).map((row) => row.topic);
      if (stale.length > 0) {
        // cleared first: a failure leaves them recorded for the next sweep
        await this.publisher.clear(stale);
        await forgetRetained(this.prisma, stale);
        this.log.info({ cleared: stale.length }, 'home assistant: retained messages cleared');
      }
      if (page.length < PAGE) return;
      after = page.at(-1)!.topic;
    }
  }
}
