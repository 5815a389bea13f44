import type { ErrorParams } from '@metertwin/alarms';
import type { z } from 'zod';

/**
 * How every portal route refuses: `error` is the English text (logs, scripts, curl), `code` and
 * `params` let the page say it in the user's language (messages `errors.codes.<code>`, a `field`
 * param through `errors.fields`), `issues` list each field a body's schema refused. A refusal
 * without a code is shown as its text.
 */
export interface RefusalBody {
  error: string;
  code?: string;
  params?: ErrorParams;
  issues?: FieldIssue[];
}

/** One problem of a request body: the field's path, what is wrong as a code, and its values. */
export interface FieldIssue {
  field: string;
  code: string;
  params?: ErrorParams;
}

/** The JSON answer of a refusal, never cached. */
export function refusalResponse(status: number, body: RefusalBody, headers?: HeadersInit): Response {
  return Response.json(body, { status, headers: { 'cache-control': 'no-store', ...headers } });
}

/** A refusal from an error that may carry a code (DomainError, OnboardError): the code only when it has one. */
export function refusalOf(error: Error & { code?: string; params?: ErrorParams }): RefusalBody {
  return {
    error: error.message,
    ...(error.code ? { code: error.code } : {}),
    ...(error.params ? { params: error.params } : {}),
  };
}

const limit = (value: unknown) => (typeof value === 'bigint' ? Number(value) : (value as number));

/**
 * A zod issue as a code the page words: required, wrong-type, too-short/too-long (text),
 * too-small/too-large (numbers), too-few/too-many (lists), not-a-url, not-an-email, invalid-format,
 * not-one-of, unknown-field, or what a refinement names in `params.code` with its other params
 * (else `invalid`).
 */
function issueCode(issue: z.core.$ZodIssue): Pick<FieldIssue, 'code' | 'params'> {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? { code: 'required' } : { code: 'wrong-type', params: { expected: issue.expected } };
    case 'too_small': {
      const minimum = limit(issue.minimum);
      if (issue.origin === 'string') return minimum === 1 ? { code: 'required' } : { code: 'too-short', params: { minimum } };
      if (issue.origin === 'array' || issue.origin === 'set') return { code: 'too-few', params: { minimum } };
      return { code: 'too-small', params: { minimum } };
    }
    case 'too_big': {
      const maximum = limit(issue.maximum);
      if (issue.origin === 'string') return { code: 'too-long', params: { maximum } };
      if (issue.origin === 'array' || issue.origin === 'set') return { code: 'too-many', params: { maximum } };
      return { code: 'too-large', params: { maximum } };
    }
    case 'invalid_format':
      if (issue.format === 'url') return { code: 'not-a-url' };
      if (issue.format === 'email') return { code: 'not-an-email' };
      return { code: 'invalid-format' };
    case 'invalid_value':
      return { code: 'not-one-of', params: { values: issue.values.map(String).join(', ') } };
    case 'unrecognized_keys':
      return { code: 'unknown-field', params: { keys: issue.keys.join(', ') } };
    case 'custom': {
      const { code, ...params } = (issue.params ?? {}) as ErrorParams;
      return typeof code === 'string' ? { code, params } : { code: 'invalid' };
    }
    default:
      return { code: 'invalid' };
  }
}

/** Every problem a schema found, as field issues (the path joined with dots; `(body)` for the body itself). */
export function fieldIssues(issues: readonly z.core.$ZodIssue[]): FieldIssue[] {
  return issues.map((issue) => ({ field: issue.path.map(String).join('.') || '(body)', ...issueCode(issue) }));
}
