import type { Actor, DomainErrorKind } from '@metertwin/alarms';
import type { PrismaClient } from '@metertwin/db';
import type { z } from 'zod';
import { actorOf } from './actor';
import { apiUser, type Role, type SessionUser } from './auth';
import { domainErrorResponse } from './domain-error-response';
import { readJsonBody } from './request-body';
import { prisma } from './server';

/** The portal's JSON answers are never cached. */
export const noStore = { 'cache-control': 'no-store' };

export interface ApiCall<P, B> {
  user: SessionUser;
  /** The signed-in person as domain operations audit them. */
  actor: Actor;
  params: P;
  body: B;
  db: PrismaClient;
  /** For what the route reads besides the body (its query, its headers). */
  request: Request;
}

interface ApiRouteOptions<S extends z.ZodType | undefined> {
  /** The least role that may call it (401 signed out, 403 below it). */
  role: Role;
  /** The JSON body's schema; refused with `refusedStatus` (400 unless the route promises 422). */
  body?: S;
  maxBytes?: number;
  refusedStatus?: 400 | 422;
  /** Statuses of domain refusals other than domainErrorResponse's defaults. */
  statuses?: Partial<Record<DomainErrorKind, number>>;
}

/**
 * The glue of a signed-in JSON route: the session and its role, the body validated, the route's
 * params, and a domain refusal (DomainError) answered as the portal's JSON error, uncached. `handle`
 * does the operation and answers; any other error it does not answer itself is a 500.
 */
export function apiRoute<P extends Record<string, string>, S extends z.ZodType | undefined = undefined>(
  options: ApiRouteOptions<S>,
  handle: (call: ApiCall<P, S extends z.ZodType ? z.output<S> : undefined>) => Promise<Response>,
): (request: Request, context?: { params: Promise<P> }) => Promise<Response> {
  return async (request, context) => {
    const db = prisma();
    const user = await apiUser(db, request, options.role);
    if (user instanceof Response) return user;
    let body: unknown = undefined;
    if (options.body) {
      const read = await readJsonBody(request, options.body, options.maxBytes, options.refusedStatus);
      if (read instanceof Response) return read;
      body = read;
    }
    // a route without dynamic segments has no params (and may be called without a context)
    const params = ((await context?.params) ?? {}) as P;
    try {
      return await handle({
        user,
        actor: actorOf(user),
        params,
        body: body as S extends z.ZodType ? z.output<S> : undefined,
        db,
        request,
      });
    } catch (error) {
      return domainErrorResponse(error, noStore, options.statuses);
    }
  };
}
