import { Body, Controller, Delete, Get, HttpCode, Inject, NotFoundException, Param, ParseUUIDPipe, Post, Put, Query, UseGuards, BadRequestException } from '@nestjs/common';
import { z } from 'zod';
import type { ActuationCommand, Actuator, Prisma, PrismaClient, SecretBox } from '@metertwin/db';
import { AdminTokenGuard, PRISMA, SECRETS } from '@metertwin/service-kit';
import { isNotFound, parseBody } from '../http-body.js';
import { ActuationService } from './actuation.service.js';
import { ActuatorSpecSchema } from './actuator-config.js';
import { redactActuatorConfig, sealActuatorConfig } from './actuator-secrets.js';

const CreateActuatorSchema = z.intersection(
  z.object({ orgId: z.uuid(), meterId: z.uuid().nullable().default(null), name: z.string().min(1).max(200) }),
  ActuatorSpecSchema,
);
const ManualCommandSchema = z.object({ command: z.string().min(1).max(100), actorId: z.uuid() }).strict();
const OverrideSchema = z.object({ until: z.iso.datetime({ offset: true }).nullable(), actorId: z.uuid() }).strict();

/** An actuator as the API answers it: its credentials are never sent back. */
const publicView = <A extends Actuator>(actuator: A): A => ({ ...actuator, config: redactActuatorConfig(actuator.kind, actuator.config) as Prisma.JsonValue });

/**
 * Actuators and their commands over HTTP (admin token). A manual command is sent whatever the
 * override (the override is what keeps the rules away while a person is in charge).
 */
@Controller('v1/actuators')
@UseGuards(AdminTokenGuard)
export class ActuatorsController {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(SECRETS) private readonly secrets: SecretBox,
    private readonly actuation: ActuationService,
  ) {}

  @Post()
  async create(@Body() body: unknown): Promise<Actuator> {
    const input = parseBody(CreateActuatorSchema, body);
    if (input.meterId && !(await this.prisma.meter.findFirst({ where: { id: input.meterId, orgId: input.orgId } }))) {
      throw new BadRequestException(`meter ${input.meterId} is not a meter of organization ${input.orgId}`);
    }
    const config = sealActuatorConfig(input, this.secrets) as Prisma.InputJsonValue;
    return publicView(await this.prisma.actuator.create({ data: { ...input, config } }));
  }

  @Get()
  async list(@Query() query: unknown): Promise<Actuator[]> {
    const { orgId } = parseBody(z.object({ orgId: z.uuid() }), query);
    return (await this.prisma.actuator.findMany({ where: { orgId }, orderBy: { createdAt: 'asc' } })).map(publicView);
  }

  /** The actuator with its last 50 commands, newest first: the audit trail. */
  @Get(':id')
  async get(@Param('id', ParseUUIDPipe) id: string): Promise<Actuator & { commands: ActuationCommand[] }> {
    const actuator = await this.prisma.actuator.findUnique({ where: { id }, include: { commands: { orderBy: { createdAt: 'desc' }, take: 50 } } });
    if (!actuator) throw new NotFoundException(`actuator ${id} does not exist`);
    return publicView(actuator);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    try {
      await this.prisma.actuator.delete({ where: { id } });
    } catch (error) {
      if (isNotFound(error)) throw new NotFoundException(`actuator ${id} does not exist`);
      throw error;
    }
  }

  /** Commands the actuator by hand; answers at once with the pending command (poll it for the outcome). */
  @Post(':id/commands')
  @HttpCode(202)
  async command(@Param('id', ParseUUIDPipe) id: string, @Body() body: unknown): Promise<ActuationCommand> {
    const { command, actorId } = parseBody(ManualCommandSchema, body);
    await this.get(id);
    return this.actuation.request({ actuatorId: id, command, requestedBy: { user: actorId } });
  }

  @Get(':id/commands/:commandId')
  async commandOf(@Param('id', ParseUUIDPipe) id: string, @Param('commandId', ParseUUIDPipe) commandId: string): Promise<ActuationCommand> {
    const command = await this.prisma.actuationCommand.findFirst({ where: { id: commandId, actuatorId: id } });
    if (!command) throw new NotFoundException(`command ${commandId} of actuator ${id} does not exist`);
    return command;
  }

  /** Manual override until a time (rules leave the actuator alone), or `until: null` to hand it back to the rules. */
  @Put(':id/override')
  async override(@Param('id', ParseUUIDPipe) id: string, @Body() body: unknown): Promise<Actuator> {
    const { until, actorId } = parseBody(OverrideSchema, body);
    await this.get(id);
    return publicView(await this.actuation.setOverride(id, until ? new Date(until) : null, actorId));
  }
}
