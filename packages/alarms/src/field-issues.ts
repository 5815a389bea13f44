import type { z } from 'zod';
import type { ErrorParams } from './domain-error.js';

/**
 * One problem of a request body as a code a client words in its user's language (the portal:
 * `errors.codes.<code>`): the field's path, what is wrong, and its values. The portal's routes and
 * notify's API refuse bodies with these, so both word a schema's problems the same way.
 */
export interface FieldIssue {
  field: string;
  code: string;
  params?: ErrorParams;
}

const limit = (value: unknown) => (typeof value === 'bigint' ? Number(value) : (value as number));

/**
 * A zod issue as a code the page words: required, wrong-type, too-short/too-long (text),
 * too-small/too-large (numbers), too-few/too-many (lists), not-a-url, not-an-email, invalid-format,
 * not-one-of, unknown-field, or what a refinement names in `params.code` with its other params
 * (else `invalid`). Parse with `{ reportInput: true }`: only then does an issue carry its input,
 * which tells a missing field (required) from a wrong one (wrong-type).
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

/**
 * Every problem a schema found, as field issues: the path joined with dots under `prefix` (a rule's
 * config is checked on its own, its problems are the body's `config.…`); `(body)` for the body itself.
 */
export function fieldIssues(issues: readonly z.core.$ZodIssue[], prefix?: string): FieldIssue[] {
  return issues.map((issue) => ({ field: [prefix, ...issue.path.map(String)].filter((part) => part !== undefined).join('.') || '(body)', ...issueCode(issue) }));
}
