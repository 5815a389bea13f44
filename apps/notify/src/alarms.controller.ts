import { BadRequestException, Body, ConflictException, Controller, HttpCode, NotFoundException, Param, ParseUUIDPipe, Post, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import type { Alarm } from '@metertwin/db';
import { ApiKeyGuard, ApiOrg } from '@metertwin/service-kit';
import { AlarmActorError, AlarmLifecycleService, AlarmNotFoundError, AlarmStateError } from './alarm-lifecycle.service.js';
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
  acknowledge(@ApiOrg() orgId: string, @Param('id', ParseUUIDPipe) id: string, @Body() body: unknown): Promise<Alarm> {
    return httpErrors(this.lifecycle.acknowledge(id, parseBody(ActorSchema, body).actorId, orgId));
  }

  @Post(':id/clear')
  @HttpCode(200)
  clear(@ApiOrg() orgId: string, @Param('id', ParseUUIDPipe) id: string, @Body() body: unknown): Promise<Alarm> {
    return httpErrors(this.lifecycle.clear(id, parseBody(ActorSchema, body).actorId, orgId));
  }
}

async function httpErrors(change: Promise<Alarm>): Promise<Alarm> {
  try {
    return await change;
  } catch (error) {
    if (error instanceof AlarmNotFoundError) throw new NotFoundException(error.message);
    if (error instanceof AlarmStateError) throw new ConflictException(error.message);
    if (error instanceof AlarmActorError) throw new BadRequestException(error.message);
    throw error;
  }
}
