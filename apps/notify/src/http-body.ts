import { BadRequestException } from '@nestjs/common';
import type { z } from 'zod';

/** Parses an HTTP body or query with zod; a 400 lists every problem with its path. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  throw new BadRequestException({
    message: 'invalid request',
    issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
  });
}

export const isNotFound = (error: unknown) => (error as { code?: unknown } | null)?.code === 'P2025';
