import type { z } from 'zod';
import type { ApiScope } from '@metertwin/db';
import {
  AlarmChangeResultSchema,
  AlarmChangeSchema,
  AlarmPageSchema,
  AlarmsQuery,
  IdParams,
  MeterPageSchema,
  MeterSchema,
  MetersQuery,
  NewRuleBody,
  ReadingPageSchema,
  ReadingsQuery,
  RuleListSchema,
  RulePatchBody,
  RuleSchema,
  RulesQuery,
} from './schemas.js';

/** The error statuses an operation may answer with, besides the ones every operation has (401, 403, 429). */
export type ErrorStatus = 400 | 404 | 409 | 413 | 415 | 422;

/** One operation of /api/v1: what a route handler enforces and the OpenAPI document describes. */
export interface Operation {
  operationId: string;
  method: 'get' | 'post' | 'patch' | 'delete';
  /** Under /api/v1, OpenAPI-style: /meters/{id}. */
  path: string;
  summary: string;
  /** The scope the API key needs. */
  scope: ApiScope;
  params?: z.ZodObject;
  query?: z.ZodType;
  body?: z.ZodType;
  success: { status: 200 | 201 | 204; description: string; schema?: z.ZodType };
  errors: readonly ErrorStatus[];
}

const define = <const O extends Operation>(operation: O): O => operation;

/** Statuses of a JSON body: unreadable (400), too large (413), not JSON (415), refused by its schema (422). */
const BODY_ERRORS = [400, 413, 415, 422] as const;

export const operations = {
  listMeters: define({
    operationId: 'listMeters',
    method: 'get',
    path: '/meters',
    summary: "The organization's meters, oldest first",
    scope: 'read',
    query: MetersQuery,
    success: { status: 200, description: 'A page of meters', schema: MeterPageSchema },
    errors: [400],
  }),
  getMeter: define({
    operationId: 'getMeter',
    method: 'get',
    path: '/meters/{id}',
    summary: 'One meter',
    scope: 'read',
    params: IdParams,
    success: { status: 200, description: 'The meter', schema: MeterSchema },
    errors: [400, 404],
  }),
  listMeterReadings: define({
    operationId: 'listMeterReadings',
    method: 'get',
    path: '/meters/{id}/readings',
    summary: "A meter's readings in a time range, newest first",
    scope: 'read',
    params: IdParams,
    query: ReadingsQuery,
    success: { status: 200, description: 'A page of readings', schema: ReadingPageSchema },
    errors: [400, 404],
  }),
  listAlarms: define({
    operationId: 'listAlarms',
    method: 'get',
    path: '/alarms',
    summary: "The organization's alarms, newest raised first",
    scope: 'read',
    query: AlarmsQuery,
    success: { status: 200, description: 'A page of alarms', schema: AlarmPageSchema },
    errors: [400],
  }),
  acknowledgeAlarm: define({
    operationId: 'acknowledgeAlarm',
    method: 'post',
    path: '/alarms/{id}/acknowledge',
    summary: 'Acknowledges an active alarm on behalf of a user',
    scope: 'write',
    params: IdParams,
    body: AlarmChangeSchema,
    success: { status: 200, description: 'The alarm is acknowledged', schema: AlarmChangeResultSchema },
    errors: [...BODY_ERRORS, 404, 409],
  }),
  clearAlarm: define({
    operationId: 'clearAlarm',
    method: 'post',
    path: '/alarms/{id}/clear',
    summary: 'Clears an open alarm on behalf of a user',
    scope: 'write',
    params: IdParams,
    body: AlarmChangeSchema,
    success: { status: 200, description: 'The alarm is cleared', schema: AlarmChangeResultSchema },
    errors: [...BODY_ERRORS, 404, 409],
  }),
  listRules: define({
    operationId: 'listRules',
    method: 'get',
    path: '/rules',
    summary: "The organization's rules, oldest first, optionally of one meter or group",
    scope: 'read',
    query: RulesQuery,
    success: { status: 200, description: 'The rules', schema: RuleListSchema },
    errors: [400],
  }),
  createRule: define({
    operationId: 'createRule',
    method: 'post',
    path: '/rules',
    summary: 'Creates a rule; its config is checked by its type',
    scope: 'write',
    body: NewRuleBody,
    success: { status: 201, description: 'The new rule', schema: RuleSchema },
    errors: [...BODY_ERRORS, 404],
  }),
  getRule: define({
    operationId: 'getRule',
    method: 'get',
    path: '/rules/{id}',
    summary: 'One rule',
    scope: 'read',
    params: IdParams,
    success: { status: 200, description: 'The rule', schema: RuleSchema },
    errors: [400, 404],
  }),
  updateRule: define({
    operationId: 'updateRule',
    method: 'patch',
    path: '/rules/{id}',
    summary: "Changes a rule's type, config, severity, actions or enabled",
    scope: 'write',
    params: IdParams,
    body: RulePatchBody,
    success: { status: 200, description: 'The changed rule', schema: RuleSchema },
    errors: [...BODY_ERRORS, 404],
  }),
  deleteRule: define({
    operationId: 'deleteRule',
    method: 'delete',
    path: '/rules/{id}',
    summary: 'Deletes a rule; its alarms stay',
    scope: 'write',
    params: IdParams,
    success: { status: 204, description: 'The rule is deleted' },
    errors: [400, 404],
  }),
} satisfies Record<string, Operation>;
