import { DomainError, type DomainErrorKind } from '@metertwin/alarms';
import { refusalOf, refusalResponse } from './refusal';

/** The portal's status for each refusal; a reference to another organization's thing is a 404, as if it did not exist. */
const STATUS: Record<DomainErrorKind, number> = {
  'not-found': 404,
  reference: 404,
  conflict: 409,
  invalid: 400,
};

/**
 * A domain refusal as the portal's JSON error (its code and params too, see refusal.ts); anything
 * else is rethrown (a 500). `statuses` overrides a kind's status for routes that promise another
 * (422 for settings that make no sense).
 */
export function domainErrorResponse(
  error: unknown,
  headers?: HeadersInit,
  statuses: Partial<Record<DomainErrorKind, number>> = {},
): Response {
  if (!(error instanceof DomainError)) throw error;
  return refusalResponse(statuses[error.kind] ?? STATUS[error.kind], refusalOf(error), headers);
}
