import { timingSafeEqual } from 'node:crypto';
import { ForbiddenException, Inject, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { BaseEnv } from './config.js';
import { CONFIG } from './tokens.js';

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

/**
 * /metrics tells queue depths, failure counts and timings of the whole platform: with METRICS_TOKEN
 * set it answers only to `Authorization: Bearer $METRICS_TOKEN` (a Prometheus bearer_token), without
 * one only to this machine (loopback).
 */
@Injectable()
export class MetricsGuard implements CanActivate {
  constructor(@Inject(CONFIG) private readonly config: BaseEnv) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    const expected = this.config.METRICS_TOKEN;
    if (!expected) {
      if (LOOPBACK.test(req.socket.remoteAddress ?? '')) return true;
      throw new ForbiddenException('metrics are served to this machine only; set METRICS_TOKEN to scrape them from elsewhere');
    }
    const given = Buffer.from((req.headers.authorization ?? '').replace(/^Bearer /i, ''));
    const wanted = Buffer.from(expected);
    if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) throw new UnauthorizedException('metrics token required');
    return true;
  }
}
