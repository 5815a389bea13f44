import { pino, type Logger } from 'pino';

export type { Logger };
export const LOGGER = Symbol('LOGGER');

/** Structured JSON logs, one line per event; every job's lines carry its queue, job id and capture id. */
export function createLogger(service: string, level: string): Logger {
  return pino({
    name: service,
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Device tokens and session cookies must never reach a log file.
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'], censor: '[redacted]' },
  });
}
