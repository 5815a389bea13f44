import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { ConfigError, type BaseEnv } from './config.js';
import { CONFIG } from './tokens.js';

export interface StartOptions {
  /** Lets a service configure body parsing itself (ingest takes raw images). */
  bodyParser?: boolean;
  /** Install SIGTERM/SIGINT handlers: true for a process, false when tests run services in-process. */
  handleSignals?: boolean;
}

/** Creates, starts and returns a service; it listens on the configured PORT (0 picks a free one). */
export async function startService(module: unknown, options: StartOptions = {}): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(module as never, {
    bufferLogs: true,
    bodyParser: options.bodyParser ?? true,
  });
  app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  if (options.handleSignals ?? true) app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  const config = app.get<BaseEnv>(CONFIG);
  await app.listen(config.PORT, config.HOST);
  return app;
}

/** The URL a started service answers on, e.g. for tests that pick port 0. */
export async function serviceUrl(app: INestApplication): Promise<string> {
  const url = await app.getUrl();
  return url.replace('[::1]', '127.0.0.1').replace('0.0.0.0', '127.0.0.1');
}

/** A service's process entry: start it, or print why it cannot start and exit non-zero. */
export function runMain(service: string, start: (env: NodeJS.ProcessEnv) => Promise<unknown>): void {
  start(process.env).catch((error: unknown) => {
    console.error(`${service}: ${error instanceof ConfigError ? error.message : error instanceof Error ? error.stack : String(error)}`);
    process.exit(1);
  });
}
