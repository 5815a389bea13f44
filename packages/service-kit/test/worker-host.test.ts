import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueName, type NotifyJob } from '@metertwin/contracts';
import { createTestDatabase, uniqueQueuePrefix, waitFor, type TestDatabase } from '@metertwin/testing';
import { BaseEnvSchema, ConfigError, loadConfig } from '../src/config.js';
import { OnJob } from '../src/on-job.decorator.js';
import { QueueService } from '../src/queue.service.js';
import { ServiceKitModule } from '../src/service-kit.module.js';
import { startService } from '../src/bootstrap.js';

const processed: string[] = [];

@Injectable()
class SlowNotifyHandler {
  @OnJob({ queue: QueueName.Notify })
  async handle(job: NotifyJob): Promise<void> {
    await new Promise((r) => setTimeout(r, 1_500));
    processed.push(job.readingId);
  }
}

describe('service-kit', () => {
  let db: TestDatabase;
  let env: Record<string, string>;

  beforeAll(async () => {
    db = await createTestDatabase();
    env = { DATABASE_URL: db.url, QUEUE_PREFIX: uniqueQueuePrefix(), PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' };
  });
  afterAll(() => db?.drop());

  const moduleFor = (consumes: QueueName[], providers: unknown[]) => {
    @Module({})
    class TestModule {}
    return {
      module: TestModule,
      imports: [ServiceKitModule.forRoot({ serviceName: 'test', envSchema: BaseEnvSchema, env, consumes, produces: [] })],
      providers: providers as never[],
    };
  };

  it('refuses to start with a bad environment, naming every problem', () => {
    expect(() => loadConfig(BaseEnvSchema, { PORT: 'eighty', LOG_LEVEL: 'loud' })).toThrow(ConfigError);
    try {
      loadConfig(BaseEnvSchema, { PORT: 'eighty', LOG_LEVEL: 'loud' });
    } catch (error) {
      expect((error as Error).message).toMatch(/DATABASE_URL/);
      expect((error as Error).message).toMatch(/PORT/);
      expect((error as Error).message).toMatch(/LOG_LEVEL/);
    }
  });

  it('refuses to start when a consumed queue has no handler', async () => {
    await expect(startService(moduleFor([QueueName.Notify], []), { handleSignals: false })).rejects.toThrow(
      /queue "notify" needs exactly one @OnJob handler, found: none/,
    );
  });

  it('finishes the job in flight before shutting down', async () => {
    const app = await startService(moduleFor([QueueName.Notify], [SlowNotifyHandler]), { handleSignals: false });
    const queues = app.get(QueueService);
    await queues.add(QueueName.Notify, { v: 1, readingId: 'r-1', meterId: 'm', captureId: 'c' }, { jobId: 'r-1-notify' });
    await waitFor(async () => (await queues.get(QueueName.Notify).getJobState('r-1-notify')) === 'active', {
      what: 'the job to start',
    });
    await app.close();
    expect(processed).toEqual(['r-1']);
  });
});
