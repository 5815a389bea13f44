/**
 * Keyset paging over (a timestamp, id): the rows after `key` in that order, stable however many rows
 * arrive meanwhile (an offset would skip or repeat them). Ties on the timestamp are broken by id.
 */
export interface PageKey {
  at: Date;
  id: string;
}

export function afterKey<F extends string>(
  field: F,
  key: PageKey,
  direction: 'asc' | 'desc',
): {
  OR: (
    Record<F, { lt: Date } | { gt: Date }> | (Record<F, Date> & { id: { lt: string } | { gt: string } })
  )[];
} {
  const past = direction === 'desc' ? ('lt' as const) : ('gt' as const);
  return {
    OR: [
      { [field]: { [past]: key.at } } as Record<F, { lt: Date } | { gt: Date }>,
      { [field]: key.at, id: { [past]: key.id } } as Record<F, Date> & {
        id: { lt: string } | { gt: string };
      },
    ],
  };
}

/** Rows of one page, and the key after which the next starts (null: this is the last page). */
export interface Page<T> {
  items: T[];
  next: PageKey | null;
}

/** The first `limit` rows and the key after which the next page starts (null: no more rows). Fetch limit + 1. */
export function pageOf<T extends { id: string }>(rows: T[], limit: number, at: (row: T) => Date): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, next: rows.length > limit && last ? { at: at(last), id: last.id } : null };
}
