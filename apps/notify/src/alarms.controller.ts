import { Body, Controller, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import type { Alarm } from '@metertwin/db';
import { ApiKeyGuard, ApiOrg } from '@metertwin/service-kit';
import { AlarmLifecycleService } from './alarm-lifecycle.service.js';
import { httpErrors, ParseId } from './http-errors.js';
import { parseBody } from './http-body.js';

/** The user on whose behalf an API client acts (audited and sent in the webhooks). */
const ActorSchema = z.object({ actorId: z.uuid() }).strict();

/** Acknowledge and clear alarms of the API key's organization over HTTP. */
@Controller('v1/alarms')
@UseGuards(ApiKeyGuard)
export class AlarmsController {
  constructor(private readonly lifecycle: AlarmLifecycleService) {}

  @Post(':id/acknowledge')
  @HttpCode(200)
  acknowledge(@ApiOrg() orgId: string, @Param('id', ParseId) id: string, @Body() body: unknown): Promise<Alarm> {
    return httpErrors(this.lifecycle.change(orgId, id, parseBody(ActorSchema, body).actorId, 'acknowledged'));
  }

  @Post(':id/clear')
  @HttpCode(200)
  clear(@ApiOrg() orgId: string, @Param('id', ParseId) id: string, @Body() body: unknown): Promise<Alarm> {
    return httpErrors(this.lifecycle.change(orgId, id, parseBody(ActorSchema, body).actorId, 'cleared'));
  }
}
