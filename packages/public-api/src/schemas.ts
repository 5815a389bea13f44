import { z } from 'zod';
import { NewRuleSchema, RulePatchSchema, SEVERITIES } from '@metertwin/alarms';
import { RuleActionSchema } from '@metertwin/rules';
import { CursorParam } from './cursor.js';

/**
 * Every request and response of /api/v1. The route handlers validate with these, and the OpenAPI
 * document (openapi.ts) is generated from them, so the document cannot drift from what is enforced.
 * Schemas with an `id` become components of the document; requests are described as the client sends
 * them (defaults optional), responses as the server sends them.
 */

export const ERROR_CODES = [
  'bad_request',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'payload_too_large',
  'unsupported_media_type',
  'unprocessable',
  'rate_limited',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES),
      message: z.string(),
      /** What exactly was refused in the query, path or body. */
      issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  })
  .meta({ id: 'Error', description: 'Every error of the API.' });
export type ApiError = z.infer<typeof ErrorSchema>;

const timestamp = z.iso.datetime({ offset: true });
const id = z.uuid();
export const MAX_PAGE_SIZE = 1000;

/** Paging of every list: up to `limit` items, then `nextCursor` for the rest. */
const pageQuery = (defaultLimit: number) => ({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(defaultLimit),
  cursor: CursorParam.optional(),
});

const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    /** Pass as `cursor` for the next page; null on the last page. */
    nextCursor: z.string().nullable(),
  });

export const IdParams = z.object({ id });

export const MeterSchema = z
  .object({
    id,
    name: z.string(),
    location: z.string(),
    group: z.string().nullable(),
    kind: z.enum(['water', 'hot_water', 'heat', 'gas']),
    unit: z.string(),
    digits: z.number().int(),
    decimals: z.number().int(),
    timeZone: z.string(),
    createdAt: timestamp,
    /** When the meter was archived (it takes no photos; its history stays), or null while in service. */
    archivedAt: timestamp.nullable(),
  })
  .meta({ id: 'Meter' });
export const MetersQuery = z.object(pageQuery(100));
export const MeterPageSchema = pageOf(MeterSchema).meta({
  id: 'MeterPage',
  description: 'Meters, oldest first.',
});

export const ReadingSchema = z
  .object({
    id,
    captureId: id,
    /** As the counter shows it ("01234.567"); null when unreadable. */
    value: z.string().nullable(),
    numeric: z.number().nullable(),
    status: z.enum(['accepted', 'corrected', 'needs_review', 'rejected']),
    reason: z.string().nullable(),
    confidence: z.number(),
    /** Counter units since the previous accepted reading. */
    consumption: z.number().nullable(),
    flowPerHour: z.number().nullable(),
    /** Energy over the same interval, for meters with a conversion (e.g. kWh). */
    energy: z.number().nullable(),
    takenAt: timestamp,
  })
  .meta({ id: 'Reading' });
const queryTime = timestamp.transform((s) => new Date(s));
export const ReadingsQuery = z
  .object({
    from: queryTime.optional().meta({ description: 'Readings taken at or after this time.' }),
    to: queryTime.optional().meta({ description: 'Readings taken before this time.' }),
    ...pageQuery(100),
  })
  .refine((q) => !q.from || !q.to || q.from < q.to, { message: 'must be after from', path: ['to'] });
export const ReadingPageSchema = pageOf(ReadingSchema).meta({
  id: 'ReadingPage',
  description: 'Readings, newest first.',
});

const ALARM_STATUSES = ['active', 'acknowledged', 'cleared'] as const;
export const AlarmSchema = z
  .object({
    id,
    meterId: id,
    ruleId: id.nullable(),
    type: z.string(),
    severity: z.enum(SEVERITIES),
    status: z.enum(ALARM_STATUSES),
    /** As the rule wrote it (English). */
    message: z.string(),
    /** A built-in rule's message code and its values, for clients that word alarms themselves; null for a plugin's own text. */
    messageCode: z.string().nullable(),
    messageParams: z.record(z.string(), z.union([z.string(), z.number()])).nullable(),
    /** The language of `localizedMessage`: the request's Accept-Language (en or ko), else the organization's default, else en. */
    messageLocale: z.enum(['en', 'ko']),
    localizedMessage: z.string(),
    /** What the rule measured when it raised. */
    details: z.unknown(),
    count: z.number().int(),
    raisedAt: timestamp,
    lastSeenAt: timestamp,
    acknowledgedAt: timestamp.nullable(),
    acknowledgedBy: z.string().nullable(),
    clearedAt: timestamp.nullable(),
    clearedBy: z.string().nullable(),
  })
  .meta({ id: 'Alarm' });
export const AlarmsQuery = z.object({
  /** `open`: active or acknowledged. */
  status: z
    .enum([...ALARM_STATUSES, 'open'])
    .optional()
    .meta({ description: '`open` is active or acknowledged.' }),
  meterId: id.optional(),
  ...pageQuery(100),
});
export const AlarmPageSchema = pageOf(AlarmSchema).meta({
  id: 'AlarmPage',
  description: 'Alarms, newest raised first.',
});
export const AlarmChangeSchema = z
  .object({ actorId: id.meta({ description: 'The user of the organization on whose behalf the key acts.' }) })
  .strict()
  .meta({ id: 'AlarmChange' });
export const AlarmChangeResultSchema = z
  .object({
    id,
    status: z.enum(ALARM_STATUSES),
    /** false: the change stands, but notify was not told yet (it catches up). */
    announced: z.boolean(),
  })
  .meta({ id: 'AlarmChangeResult' });

export const RuleSchema = z
  .object({
    id,
    type: z.string(),
    meterId: id.nullable(),
    group: z.string().nullable(),
    config: z.record(z.string(), z.unknown()),
    severity: z.enum(SEVERITIES),
    enabled: z.boolean(),
    actions: z.array(RuleActionSchema),
    createdAt: timestamp,
  })
  .meta({ id: 'Rule' });
export const RulesQuery = z.object({ meterId: id.optional(), group: z.string().min(1).max(200).optional() });
export const RuleListSchema = z.object({ items: z.array(RuleSchema) }).meta({ id: 'RuleList' });
export const NewRuleBody = NewRuleSchema.meta({ id: 'NewRule' });
export const RulePatchBody = RulePatchSchema.meta({ id: 'RulePatch' });
