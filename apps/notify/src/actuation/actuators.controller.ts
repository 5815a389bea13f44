import { Body, Controller, Delete, Get, HttpCode, Inject, NotFoundException, Param, Post, Put, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import {
  createActuator,
  CreateActuatorSchema,
  deleteActuator,
  findOrgActuatorCommand,
  findOrgActuators,
  findOrgActuatorWithCommands,
  publicActuator as publicView,
  setActuatorOverride,
  type Actor,
} from '@metertwin/alarms';
import type { ActuationCommand, Actuator, PrismaClient, SecretBox } from '@metertwin/db';
import { ApiKeyActor, ApiKeyGuard, ApiOrg, PRISMA, SECRETS, refusal } from '@metertwin/service-kit';
import { httpErrors, ParseId } from '../http-errors.js';
import { parseBody } from '../http-body.js';
import { ActuationService, CommandNotQueuedError } from './actuation.service.js';

const ManualCommandSchema = z.object({ command: z.string().min(1).max(100), actorId: z.uuid() }).strict();
const OverrideSchema = z.object({ until: z.iso.datetime({ offset: true }).nullable(), actorId: z.uuid() }).strict();

/**
 * Actuators and their commands over HTTP, of the API key's organization. A manual command is sent whatever the
 * override (the override is what keeps the rules away while a person is in charge).
 */
@Controller('v1/actuators')
@UseGuards(ApiKeyGuard)
export class ActuatorsController {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(SECRETS) private readonly secrets: SecretBox,
    private readonly actuation: ActuationService,
  ) {}

  @Post()
  async create(@ApiKeyActor() actor: Actor, @Body() body: unknown): Promise<Actuator> {
    const input = parseBody(CreateActuatorSchema, body);
    return publicView(await httpErrors(createActuator(this.prisma, this.secrets, actor, input)));
  }

  @Get()
  async list(@ApiOrg() orgId: string): Promise<Actuator[]> {
    return (await findOrgActuators(this.prisma, orgId)).map(publicView);
  }

  /** The actuator with its last 50 commands, newest first: the audit trail. */
  @Get(':id')
  async get(@ApiOrg() orgId: string, @Param('id', ParseId) id: string): Promise<Actuator & { commands: ActuationCommand[] }> {
    const actuator = await findOrgActuatorWithCommands(this.prisma, orgId, id, 50);
    if (!actuator) throw refusal(NotFoundException, `actuator ${id} does not exist`, { code: 'actuator-not-found' });
    return publicView(actuator);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@ApiKeyActor() actor: Actor, @Param('id', ParseId) id: string): Promise<void> {
    await httpErrors(deleteActuator(this.prisma, actor, id));
  }

  /**
   * Commands the actuator by hand; answers at once with the pending command (poll it for the
   * outcome). With Redis down the command is recorded all the same and `queued: false` says the
   * reconciler sends it once Redis is back: the client must not ask again (that would be a second command).
   */
  @Post(':id/commands')
  @HttpCode(202)
  async command(@ApiOrg() orgId: string, @Param('id', ParseId) id: string, @Body() body: unknown): Promise<ActuationCommand & { queued: boolean }> {
    const { command, actorId } = parseBody(ManualCommandSchema, body);
    try {
      return { ...(await httpErrors(this.actuation.requestManual({ orgId, actuatorId: id, userId: actorId, command }))), queued: true };
    } catch (error) {
      if (!(error instanceof CommandNotQueuedError)) throw error;
      return { ...error.command, queued: false };
    }
  }

  @Get(':id/commands/:commandId')
  async commandOf(@ApiOrg() orgId: string, @Param('id', ParseId) id: string, @Param('commandId', ParseId) commandId: string): Promise<ActuationCommand> {
    const command = await findOrgActuatorCommand(this.prisma, orgId, id, commandId);
    if (!command) throw refusal(NotFoundException, `command ${commandId} of actuator ${id} does not exist`, { code: 'actuator-command-not-found' });
    return command;
  }

  /** Manual override until a time (rules leave the actuator alone), or `until: null` to hand it back to the rules. */
  @Put(':id/override')
  async override(@ApiOrg() orgId: string, @Param('id', ParseId) id: string, @Body() body: unknown): Promise<Actuator> {
    const { until, actorId } = parseBody(OverrideSchema, body);
    const override = { orgId, actuatorId: id, userId: actorId, until: until ? new Date(until) : null };
    return publicView(await httpErrors(setActuatorOverride(this.prisma, override)));
  }
}
