import {
  Controller,
  Get,
  Header,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  Post,
  Query,
  Res,
  UseGuards,
} from '@nestjs/common';
import type { Response } from 'express';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { QueueName } from '@metertwin/contracts';
import { pingDatabase, type PrismaClient } from '@metertwin/db';
import { AdminTokenGuard } from './admin-token.guard.js';
import { PRISMA } from './database.js';
import { MetricsGuard } from './metrics.guard.js';
import { MetricsService } from './metrics.service.js';
import { QueueService } from './queue.service.js';
import { REDIS } from './tokens.js';

const QueueParam = z.enum(Object.values(QueueName) as [QueueName, ...QueueName[]]);

/** Health, metrics and the dead-letter view: the same on every service. */
@Controller()
export class OpsController {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    private readonly metrics: MetricsService,
    private readonly queues: QueueService,
  ) {}

  @Get('healthz')
  async health(@Res() res: Response): Promise<void> {
    const [redis, postgres] = await Promise.all([
      check(() => this.redis.ping()),
      check(() => pingDatabase(this.prisma)),
    ]);
    const ok = redis === 'ok' && postgres === 'ok';
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'unavailable', checks: { redis, postgres } });
  }

  @Get('metrics')
  @UseGuards(MetricsGuard)
  @Header('Content-Type', 'text/plain; version=0.0.4')
  metricsText(): Promise<string> {
    return this.metrics.registry.metrics();
  }

  /** Jobs that used up their retries or were malformed, newest first. */
  @Get('v1/jobs/failed')
  @UseGuards(AdminTokenGuard)
  async failed(@Query('queue') queue: string, @Query('limit') limit = '50') {
    const name = parseQueue(queue);
    const jobs = await this.queues.bounded(this.queues.get(name).getFailed(0, Math.min(Number(limit) || 50, 500) - 1));
    return jobs.map((job) => ({
      id: job.id,
      queue: name,
      data: job.data as unknown,
      failedReason: job.failedReason,
      attemptsMade: job.attemptsMade,
      addedAt: new Date(job.timestamp).toISOString(),
      failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
    }));
  }

  @Post('v1/jobs/:queue/:jobId/retry')
  @HttpCode(202)
  @UseGuards(AdminTokenGuard)
  async retry(@Param('queue') queue: string, @Param('jobId') jobId: string) {
    const job = await this.queues.bounded(this.queues.get(parseQueue(queue)).getJob(jobId));
    if (!job || !(await this.queues.bounded(job.isFailed()))) throw new NotFoundException(`no failed job ${jobId} in ${queue}`);
    await this.queues.bounded(job.retry('failed'));
    return { id: job.id, retried: true };
  }
}

function parseQueue(queue: string): QueueName {
  const parsed = QueueParam.safeParse(queue);
  if (!parsed.success) throw new NotFoundException(`unknown queue "${queue}"`);
  return parsed.data;
}

async function check(probe: () => Promise<unknown>): Promise<string> {
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('timed out after 2 s')), 2_000).unref()),
    ]);
    return 'ok';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
