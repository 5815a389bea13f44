import { Body, Controller, Delete, Get, HttpCode, Inject, NotFoundException, Param, ParseUUIDPipe, Patch, Post, Query, UseGuards, BadRequestException } from '@nestjs/common';
import { z } from 'zod';
import type { Prisma, PrismaClient, Rule } from '@metertwin/db';
import { RuleActionsSchema, RuleRegistry } from '@metertwin/rules';
import { ApiKeyGuard, ApiOrg, PRISMA } from '@metertwin/service-kit';
import { parseBody } from './http-body.js';

const Severity = z.enum(['critical', 'major', 'minor', 'warning']);

const RuleFields = {
  type: z.string().min(1).max(100),
  config: z.record(z.string(), z.unknown()),
  severity: Severity,
  actions: RuleActionsSchema,
  enabled: z.boolean(),
};
const CreateRuleSchema = z
  .object({
    /** One meter, or null with `group` for a group, or both null for every meter of the organization. */
    meterId: z.uuid().nullable().default(null),
    group: z.string().min(1).max(200).nullable().default(null),
    ...RuleFields,
    severity: Severity.default('major'),
    actions: RuleActionsSchema.default([]),
    enabled: z.boolean().default(true),
  })
  .strict()
  .refine((r) => !(r.meterId && r.group), { message: 'a rule targets a meter or a group, not both', path: ['group'] });
const UpdateRuleSchema = z.object(RuleFields).partial().strict();
const ListRulesQuery = z.object({ meterId: z.uuid().optional(), group: z.string().optional() });

/**
 * Rules over HTTP for API users and the portal's server: per meter, per group of meters or for the
 * whole organization. The config is validated by the rule type's own schema (built-in or plugin),
 * so a rule that would only fail at evaluation time is refused here. Organization API key: every
 * rule read or changed is one of the key's organization.
 */
@Controller('v1/rules')
@UseGuards(ApiKeyGuard)
export class RulesController {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    private readonly registry: RuleRegistry,
  ) {}

  /** The rule types this notify knows, with their config schema as JSON Schema. */
  @Get('types')
  types(): { type: string; description: string; configSchema: unknown }[] {
    return this.registry.list().map((p) => ({ type: p.type, description: p.description, configSchema: z.toJSONSchema(p.configSchema, { io: 'input', unrepresentable: 'any' }) }));
  }

  @Post()
  async create(@ApiOrg() orgId: string, @Body() body: unknown): Promise<Rule> {
    const input = parseBody(CreateRuleSchema, body);
    if (input.meterId) {
      const meter = await this.prisma.meter.findFirst({ where: { id: input.meterId, orgId }, select: { id: true } });
      if (!meter) throw new BadRequestException(`meter ${input.meterId} is not a meter of this organization`);
    }
    const config = this.validConfig(input.type, input.config);
    await this.checkActuators(orgId, input.actions);
    return this.prisma.rule.create({ data: { ...input, orgId, config, actions: input.actions as Prisma.InputJsonValue } });
  }

  @Get()
  list(@ApiOrg() orgId: string, @Query() query: unknown): Promise<Rule[]> {
    const { meterId, group } = parseBody(ListRulesQuery, query);
    return this.prisma.rule.findMany({ where: { orgId, ...(meterId ? { meterId } : {}), ...(group ? { group } : {}) }, orderBy: { createdAt: 'asc' } });
  }

  @Get(':id')
  async get(@ApiOrg() orgId: string, @Param('id', ParseUUIDPipe) id: string): Promise<Rule> {
    const rule = await this.prisma.rule.findFirst({ where: { id, orgId } });
    if (!rule) throw new NotFoundException(`rule ${id} does not exist`);
    return rule;
  }

  /** Changes type, config, severity, actions or enabled; the new config is checked against the (new) type. */
  @Patch(':id')
  async update(@ApiOrg() orgId: string, @Param('id', ParseUUIDPipe) id: string, @Body() body: unknown): Promise<Rule> {
    const patch = parseBody(UpdateRuleSchema, body);
    const rule = await this.get(orgId, id);
    const type = patch.type ?? rule.type;
    const config = patch.config !== undefined || patch.type !== undefined ? this.validConfig(type, patch.config ?? (rule.config as Record<string, unknown>)) : undefined;
    if (patch.actions) await this.checkActuators(rule.orgId, patch.actions);
    return this.prisma.rule.update({
      where: { id },
      data: { ...patch, config, actions: patch.actions as Prisma.InputJsonValue | undefined },
    });
  }

  /** Deletes the rule and its state; its alarms stay, without a rule. */
  @Delete(':id')
  @HttpCode(204)
  async remove(@ApiOrg() orgId: string, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    const { count } = await this.prisma.rule.deleteMany({ where: { id, orgId } });
    if (count === 0) throw new NotFoundException(`rule ${id} does not exist`);
  }

  /**
   * The config as stored: the caller's, checked by the plugin's schema. Stored as given (defaults are
   * filled at evaluation), so a rule without `timeZone` takes each meter's zone, as the evaluator does.
   */
  private validConfig(type: string, config: Record<string, unknown>): Prisma.InputJsonValue {
    const plugin = this.registry.get(type);
    if (!plugin) throw new BadRequestException(`unknown rule type "${type}"; known: ${this.registry.list().map((p) => p.type).join(', ')}`);
    const withMeterZone = 'timeZone' in config ? config : { ...config, timeZone: 'UTC' };
    if (!plugin.configSchema.safeParse(withMeterZone).success) parseBody(plugin.configSchema, config);
    return config as Prisma.InputJsonValue;
  }

  private async checkActuators(orgId: string, actions: readonly { actuatorId: string }[]): Promise<void> {
    const ids = [...new Set(actions.map((a) => a.actuatorId))];
    if (ids.length === 0) return;
    const found = await this.prisma.actuator.count({ where: { orgId, id: { in: ids } } });
    if (found !== ids.length) throw new BadRequestException('an action names an actuator that is not one of the organization\'s');
  }
}
