import { DomainError, type DomainErrorKind } from '@metertwin/alarms';
import type { ApiError, ErrorCode } from '@metertwin/public-api';
import type { z } from 'zod';

/** An /api/v1 error in the document's Error shape; never cached. */
export function apiError(
  status: number,
  code: ErrorCode,
  message: string,
  options: { issues?: ApiError['error']['issues']; headers?: HeadersInit } = {},
): Response {
  const headers = new Headers(options.headers);
  headers.set('cache-control', 'no-store');
  const body: ApiError = { error: { code, message, ...(options.issues ? { issues: options.issues } : {}) } };
  return Response.json(body, { status, headers });
}

/** A zod refusal: every problem with its path ("limit", "actions.0.actuatorId"). */
export function invalidInput(
  status: 400 | 422,
  where: string,
  error: z.ZodError,
  headers?: HeadersInit,
): Response {
  const issues = error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  return apiError(status, status === 400 ? 'bad_request' : 'unprocessable', `the ${where} is invalid`, {
    issues,
    headers,
  });
}

const DOMAIN: Record<DomainErrorKind, [number, ErrorCode]> = {
  // Another organization's thing, or one the input names, is answered as if it did not exist.
  'not-found': [404, 'not_found'],
  reference: [404, 'not_found'],
  conflict: [409, 'conflict'],
  invalid: [422, 'unprocessable'],
};

/** A domain refusal as an /api/v1 error; anything else is rethrown (a 500). */
export function domainError(error: unknown, headers?: HeadersInit): Response {
  if (!(error instanceof DomainError)) throw error;
  const [status, code] = DOMAIN[error.kind];
  return apiError(status, code, error.message, { headers });
}

/** Raised by a handler for a thing of the operation that the key's organization does not have. */
export class NotFound extends DomainError {
  constructor(what: string) {
    super('not-found', `${what} not found`);
  }
}
