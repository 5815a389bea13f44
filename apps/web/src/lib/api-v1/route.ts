import type { Actor } from '@metertwin/alarms';
import type { ApiKeyGrant } from '@metertwin/db';
import type { Operation } from '@metertwin/public-api';
import type { z } from 'zod';
import { readJson } from '../request-body';
import { prisma } from '../server';
import { webConfig } from '../config';
import { apiError, domainError, invalidInput } from './errors';
import { authenticateApiKey, lacksScope } from './key-auth';
import { apiRateLimiter, rateLimitHeaders } from './rate-limit';

type Parsed<S> = S extends z.ZodType ? z.output<S> : Record<string, never>;

/** What a handler of an operation gets: the key, and the path, query and body its schemas accepted. */
export interface V1Request<O extends Operation> {
  grant: ApiKeyGrant;
  /** The key as the audit log records it. */
  actor: Actor;
  params: Parsed<O['params']>;
  query: Parsed<O['query']>;
  body: Parsed<O['body']>;
  /** The request's Accept-Language header, for answers that carry words (alarm messages). */
  acceptLanguage: string | null;
}

/** What a handler returns: its success schema's data (typed by it), or nothing for 204. */
export type V1Reply<O extends Operation> = O['success']['schema'] extends z.ZodType
  ? z.input<O['success']['schema']>
  : void;

type RouteContext = { params: Promise<Record<string, string | string[]>> };

/** Rate-limits the key; the headers go on every answer, or a 429. A Redis outage lets requests through uncounted. */
async function countRequest(keyId: string): Promise<{ headers: Record<string, string> } | Response> {
  const { API_RATE_WINDOW_SECONDS } = webConfig();
  let verdict;
  try {
    verdict = await apiRateLimiter().take(keyId);
  } catch (error) {
    // The key was checked against Postgres already; the limit guards capacity, not access, so an
    // outage of Redis does not take the API down with it.
    console.error('api rate limit not counted (Redis unavailable):', error);
    return { headers: {} };
  }
  const headers = rateLimitHeaders(verdict, API_RATE_WINDOW_SECONDS);
  if (verdict.allowed) return { headers };
  return apiError(
    429,
    'rate_limited',
    `this API key made more than ${verdict.limit} requests in ${API_RATE_WINDOW_SECONDS} s`,
    {
      headers: { ...headers, 'retry-after': String(verdict.resetSeconds) },
    },
  );
}

/**
 * The route handler of one /api/v1 operation: API key (401), rate limit (429), scope (403), path and
 * query (400) and body (400/413/415/422) checked against the operation's schemas, then `handle`; a
 * domain refusal becomes its error. Every answer is JSON, never cached.
 */
export function v1Route<O extends Operation>(
  operation: O,
  handle: (request: V1Request<O>) => Promise<V1Reply<O>>,
): (request: Request, context: RouteContext) => Promise<Response> {
  return async (request, context) => {
    const db = prisma();
    const grant = await authenticateApiKey(db, request);
    if (grant instanceof Response) return grant;
    const counted = await countRequest(grant.keyId);
    if (counted instanceof Response) return counted;
    const headers = { ...counted.headers, 'cache-control': 'no-store' };
    const refused = lacksScope(grant, operation.scope, headers);
    if (refused) return refused;

    const params = operation.params?.safeParse(await context.params);
    if (params && !params.success) return invalidInput(400, 'path', params.error, headers);
    const query = operation.query?.safeParse(Object.fromEntries(new URL(request.url).searchParams));
    if (query && !query.success) return invalidInput(400, 'query', query.error, headers);
    let body: unknown;
    if (operation.body) {
      const read = await readJson(request);
      if (!('json' in read)) {
        const code = (
          { 400: 'bad_request', 413: 'payload_too_large', 415: 'unsupported_media_type' } as const
        )[read.status];
        return apiError(read.status, code, read.error, { headers });
      }
      const parsed = operation.body.safeParse(read.json);
      if (!parsed.success) return invalidInput(422, 'body', parsed.error, headers);
      body = parsed.data;
    }

    try {
      const reply = await handle({
        grant,
        actor: { orgId: grant.orgId, type: 'api-key', id: grant.keyId },
        params: (params?.data ?? {}) as Parsed<O['params']>,
        query: (query?.data ?? {}) as Parsed<O['query']>,
        body: (body ?? {}) as Parsed<O['body']>,
        acceptLanguage: request.headers.get('accept-language'),
      });
      const { status } = operation.success;
      return status === 204
        ? new Response(null, { status, headers })
        : Response.json(reply, { status, headers });
    } catch (error) {
      return domainError(error, headers);
    }
  };
}
