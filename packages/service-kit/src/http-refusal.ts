import type { HttpException } from '@nestjs/common';

/** A refusal's stable code, its values and (for `invalid-fields`) each field's problem, as the portal answers them. */
export interface RefusalDetail {
  code: string;
  params?: Record<string, string | number>;
  issues?: readonly object[];
}

export type RefusalException = new (body: string | object) => HttpException;

/**
 * A refusal of a service's API: Nest's body (`statusCode`, `error`: the status's name, `message`:
 * the English text) plus, as in the portal's refusals, a `code` with its `params` (and `issues`)
 * that a client words in its user's language (the portal's `errors.codes.<code>`).
 */
export function refusal(Exception: RefusalException, message: string, detail?: RefusalDetail): HttpException {
  const body = new Exception(message).getResponse() as object;
  return new Exception({ ...body, ...detail });
}
