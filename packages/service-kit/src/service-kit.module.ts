import { Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { APP_FILTER, DiscoveryModule } from '@nestjs/core';
import { Redis } from 'ioredis';
import { LoggerModule } from 'nestjs-pino';
import type { z } from 'zod';
import type { PrismaClient } from '@metertwin/db';
import { AdminTokenGuard } from './admin-token.guard.js';
import { MetricsGuard } from './metrics.guard.js';
import { CaptureFailuresService } from './capture-failures.service.js';
import { loadConfig, type BaseEnv } from './config.js';
import { PRISMA, prismaProvider } from './database.js';
import { createLogger, LOGGER } from './logger.js';
import { MetricsService } from './metrics.service.js';
import { LiveEventsService } from './live-events.service.js';
import { OpsController } from './ops.controller.js';
import { QueueService } from './queue.service.js';
import { Reconciler } from './reconciler.js';
import { RedriveLedger } from './redrive-ledger.js';
import { ServiceExceptionFilter } from './service-exception.filter.js';
import type { ServiceOptions } from './service-options.js';
import { CONFIG, REDIS, SERVICE_OPTIONS } from './tokens.js';
import { WorkerHost } from './worker-host.js';

export interface ServiceKitOptions<S extends z.ZodType<BaseEnv>> extends ServiceOptions {
  envSchema: S;
  env: Record<string, string | undefined>;
}

/** Closes the shared connections last, after the workers have finished their jobs. */
@Injectable()
class ConnectionCloser implements OnApplicationShutdown {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(PRISMA) private readonly prisma: PrismaClient,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.prisma.$disconnect();
    this.redis.disconnect();
  }
}

/**
 * The connection for queue producers, health checks and live events: a command waiting for a lost
 * connection fails after one reconnect attempt instead of waiting for Redis without end, and
 * QueueService bounds the rest (a paused Redis, one not reached since start). BullMQ wants
 * `maxRetriesPerRequest: null` only on workers' connections, which WorkerHost makes itself.
 */
function producerConnection(config: BaseEnv): Redis {
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1 });
  // An outage shows where it matters (/healthz, the callers' errors); ioredis would print every retry.
  redis.on('error', () => undefined);
  return redis;
}

@Module({})
export class ServiceKitModule {
  /** Validates the environment here, so a misconfigured service stops before it opens any connection. */
  static forRoot<S extends z.ZodType<BaseEnv>>(options: ServiceKitOptions<S>): DynamicModule {
    const config = loadConfig(options.envSchema, options.env);
    const log = createLogger(options.serviceName, config.LOG_LEVEL);
    const serviceOptions: ServiceOptions = {
      serviceName: options.serviceName,
      consumes: options.consumes,
      produces: options.produces,
    };
    return {
      module: ServiceKitModule,
      global: true,
      imports: [DiscoveryModule, LoggerModule.forRoot({ pinoHttp: { logger: log, autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/metrics' } } })],
      controllers: [OpsController],
      providers: [
        { provide: CONFIG, useValue: config },
        { provide: SERVICE_OPTIONS, useValue: serviceOptions },
        { provide: LOGGER, useValue: log },
        { provide: REDIS, useFactory: () => producerConnection(config) },
        prismaProvider,
        QueueService,
        MetricsService,
        WorkerHost,
        AdminTokenGuard,
        MetricsGuard,
        ConnectionCloser,
        LiveEventsService,
        CaptureFailuresService,
        RedriveLedger,
        Reconciler,
        { provide: APP_FILTER, useClass: ServiceExceptionFilter },
      ],
      exports: [CONFIG, LOGGER, REDIS, PRISMA, QueueService, MetricsService, LiveEventsService, CaptureFailuresService],
    };
  }
}
