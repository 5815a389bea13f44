import { Body, Controller, Delete, Get, HttpCode, Inject, NotFoundException, Param, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { createRule, deleteRule, findOrgRule, findOrgRules, NewRuleSchema, RulePatchSchema, updateRule, type Actor } from '@metertwin/alarms';
import type { PrismaClient, Rule } from '@metertwin/db';
import { RuleRegistry } from '@metertwin/rules';
import { ApiKeyActor, ApiKeyGuard, ApiOrg, PRISMA, refusal } from '@metertwin/service-kit';
import { httpErrors, ParseId } from './http-errors.js';
import { parseBody } from './http-body.js';

const ListRulesQuery = z.object({ meterId: z.uuid().optional(), group: z.string().optional() });

/**
 * Rules over HTTP for API users: per meter, per group of meters or for the whole organization. The
 * changes are the alarms package's (the portal's too): the config checked by the rule type's own
 * schema (built-in or plugin), every change audited to the API key. Organization API key: every rule
 * read or changed is one of the key's organization.
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
  create(@ApiKeyActor() actor: Actor, @Body() body: unknown): Promise<Rule> {
    return httpErrors(createRule(this.prisma, this.registry, actor, parseBody(NewRuleSchema, body)));
  }

  @Get()
  list(@ApiOrg() orgId: string, @Query() query: unknown): Promise<Rule[]> {
    return findOrgRules(this.prisma, orgId, parseBody(ListRulesQuery, query));
  }

  @Get(':id')
  async get(@ApiOrg() orgId: string, @Param('id', ParseId) id: string): Promise<Rule> {
    const rule = await findOrgRule(this.prisma, orgId, id);
    if (!rule) throw refusal(NotFoundException, `rule ${id} does not exist`, { code: 'rule-not-found' });
    return rule;
  }

  /** Changes type, config, severity, actions or enabled; the new config is checked against the (new) type. */
  @Patch(':id')
  update(@ApiKeyActor() actor: Actor, @Param('id', ParseId) id: string, @Body() body: unknown): Promise<Rule> {
    return httpErrors(updateRule(this.prisma, this.registry, actor, id, parseBody(RulePatchSchema, body)));
  }

  /** Deletes the rule and its state; its alarms stay, without a rule. */
  @Delete(':id')
  @HttpCode(204)
  remove(@ApiKeyActor() actor: Actor, @Param('id', ParseId) id: string): Promise<void> {
    return httpErrors(deleteRule(this.prisma, actor, id));
  }
}
