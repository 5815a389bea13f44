import { z } from 'zod';
import { operations, type ErrorStatus, type Operation } from './operations.js';
import {
  AlarmChangeResultSchema,
  AlarmChangeSchema,
  AlarmPageSchema,
  AlarmSchema,
  ErrorSchema,
  MeterPageSchema,
  MeterSchema,
  NewRuleBody,
  ReadingPageSchema,
  ReadingSchema,
  RuleListSchema,
  RulePatchBody,
  RuleSchema,
} from './schemas.js';

/**
 * The OpenAPI 3.1 document of /api/v1, built from the operations and the zod schemas the route
 * handlers validate with. zod emits JSON Schema 2020-12, OpenAPI 3.1's dialect, so the schemas go in
 * as they are: requests as the client may send them (`io: input`), responses as sent (`io: output`).
 */

type JsonSchema = Record<string, unknown>;

const REQUEST_COMPONENTS = [AlarmChangeSchema, NewRuleBody, RulePatchBody];
const RESPONSE_COMPONENTS = [
  ErrorSchema,
  MeterSchema,
  MeterPageSchema,
  ReadingSchema,
  ReadingPageSchema,
  AlarmSchema,
  AlarmPageSchema,
  AlarmChangeResultSchema,
  RuleSchema,
  RuleListSchema,
];

const ref = (id: string) => `#/components/schemas/${id}`;

function idOf(schema: z.ZodType): string {
  const id = z.globalRegistry.get(schema)?.id;
  if (!id) throw new Error('a component schema needs .meta({ id })');
  return id;
}

/** The schemas as components, each referring to the others by $ref. */
function components(schemas: z.ZodType[], io: 'input' | 'output'): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const schema of schemas) registry.add(schema, { id: idOf(schema) });
  const { schemas: converted } = z.toJSONSchema(registry, { uri: ref, io });
  // Each comes out as a document of its own; as a component it needs neither.
  return Object.fromEntries(
    Object.entries(converted).map(([id, { $schema: _dialect, $id: _id, ...schema }]) => [id, schema]),
  );
}

const jsonContent = (schema: z.ZodType) => ({ 'application/json': { schema: { $ref: ref(idOf(schema)) } } });

/** Query and path parameters: one per property of the operation's object schema. */
function parameters(where: 'query' | 'path', schema: z.ZodType | undefined): JsonSchema[] {
  if (!schema) return [];
  const json = z.toJSONSchema(schema, { io: 'input' }) as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, { description, ...property }]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    ...(description ? { description } : {}),
    schema: property,
  }));
}

const ERROR_DESCRIPTIONS: Record<ErrorStatus | 401 | 403 | 429, string> = {
  400: 'The path, query or body is malformed',
  401: 'No API key, or an unknown or revoked one',
  403: 'The API key lacks the scope the operation needs',
  404: "No such thing in the key's organization",
  409: 'The thing is not in a state that allows the change',
  413: 'The body is too large',
  415: 'The body is not application/json',
  422: 'The body is refused by its schema or by a domain rule',
  429: "The key's rate limit is used up; see Retry-After",
};

const RATE_LIMIT_HEADERS = {
  'RateLimit-Limit': { description: 'Requests the key may make per window', schema: { type: 'integer' } },
  'RateLimit-Remaining': { description: 'Requests left in the current window', schema: { type: 'integer' } },
  'RateLimit-Reset': { description: 'Seconds until the window resets', schema: { type: 'integer' } },
};

function operationObject(op: Operation): JsonSchema {
  const errorStatuses = [...new Set([...op.errors, 401, 403, 429] as const)].sort();
  const responses: Record<string, JsonSchema> = {
    [op.success.status]: {
      description: op.success.description,
      headers: RATE_LIMIT_HEADERS,
      ...(op.success.schema ? { content: jsonContent(op.success.schema) } : {}),
    },
  };
  for (const status of errorStatuses) {
    responses[status] = {
      description: ERROR_DESCRIPTIONS[status],
      ...(status === 429
        ? { headers: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } } } }
        : {}),
      content: jsonContent(ErrorSchema),
    };
  }
  return {
    operationId: op.operationId,
    summary: op.summary,
    description: `Needs an API key with the \`${op.scope}\` scope.`,
    parameters: [...parameters('path', op.params), ...parameters('query', op.query)],
    ...(op.body ? { requestBody: { required: true, content: jsonContent(op.body) } } : {}),
    responses,
  };
}

export function openApiDocument(): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const op of Object.values(operations) as Operation[]) {
    (paths[op.path] ??= {})[op.method] = operationObject(op);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'MeterTwin public API',
      version: '1.0.0',
      description:
        "Meters, readings, alarms and rules of one organization, for an organization API key (created and revoked by an admin in the portal's settings).",
    },
    servers: [{ url: '/api/v1' }],
    security: [{ apiKey: [] }],
    paths,
    components: {
      securitySchemes: {
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          description: 'An organization API key: `Authorization: Bearer mtk_…`',
        },
      },
      schemas: { ...components(RESPONSE_COMPONENTS, 'output'), ...components(REQUEST_COMPONENTS, 'input') },
    },
  };
}
