import { z } from 'zod';
import type { PageKey } from '@metertwin/db';

/** A cursor is the page key (the last row's timestamp and id) of the previous page, opaque to clients. */

const CursorJson = z.tuple([z.iso.datetime(), z.uuid()]);

export function encodeCursor(key: PageKey): string {
  return Buffer.from(JSON.stringify([key.at.toISOString(), key.id])).toString('base64url');
}

function decodeCursor(cursor: string): PageKey | null {
  try {
    const parsed = CursorJson.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return parsed.success ? { at: new Date(parsed.data[0]), id: parsed.data[1] } : null;
  } catch {
    return null;
  }
}

/** A `cursor` query parameter: the `nextCursor` of the previous page, decoded. */
export const CursorParam = z
  .string()
  .max(200)
  .transform((cursor, ctx) => {
    const key = decodeCursor(cursor);
    if (!key) {
      ctx.addIssue({ code: 'custom', message: 'is not a cursor this API returned' });
      return z.NEVER;
    }
    return key;
  })
  .meta({ description: 'The `nextCursor` of the previous page; omit for the first page.' });
