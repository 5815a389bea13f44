import type { Prisma } from '@metertwin/db';

/** What an audit row says changed: each field's value before and after. */
export type FieldChanges = Record<string, { before: Prisma.InputJsonValue | null; after: Prisma.InputJsonValue | null }>;

/** The fields of `input` whose value differs from `current`'s (absent and null are the same). */
export function fieldChanges<T extends object>(current: T, input: Partial<Record<keyof T, unknown>>): FieldChanges {
  const changes: FieldChanges = {};
  for (const key of Object.keys(input) as (keyof T & string)[]) {
    const before = (current[key] ?? null) as Prisma.InputJsonValue | null;
    const after = (input[key] ?? null) as Prisma.InputJsonValue | null;
    if (JSON.stringify(before) !== JSON.stringify(after)) changes[key] = { before, after };
  }
  return changes;
}
