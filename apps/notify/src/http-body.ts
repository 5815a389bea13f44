import { BadRequestException } from '@nestjs/common';
import { fieldIssues } from '@metertwin/alarms';
import type { z } from 'zod';
import { refusal } from '@metertwin/service-kit';

/**
 * Parses an HTTP body or query with zod; a 400 with code `invalid-fields` lists every problem as the
 * portal does (`field`, `code`, `params`), keeping its `path` and English `message` for older callers.
 */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const parsed = schema.safeParse(body, { reportInput: true });
  if (parsed.success) return parsed.data;
  const coded = fieldIssues(parsed.error.issues);
  throw refusal(BadRequestException, 'invalid request', {
    code: 'invalid-fields',
    issues: parsed.error.issues.map((i, n) => ({ path: i.path.join('.'), message: i.message, ...coded[n]! })),
  });
}

export const isNotFound = (error: unknown) => (error as { code?: unknown } | null)?.code === 'P2025';
