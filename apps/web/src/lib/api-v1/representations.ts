import { z } from 'zod';
import type { Alarm, PageKey, Prisma, Rule } from '@metertwin/db';
import type { MeterListing, ReadingListing } from '@metertwin/meters';
import {
  encodeCursor,
  type AlarmSchema,
  type MeterSchema,
  type ReadingSchema,
  type RuleSchema,
} from '@metertwin/public-api';
import { alarmMessageIn, RuleActionSchema, type AlarmTextLocale } from '@metertwin/rules';

/** Rows as /api/v1 sends them: the shapes of its response schemas (timestamps in ISO 8601, decimals as numbers). */

const decimal = (value: Prisma.Decimal | null) => (value === null ? null : value.toNumber());
const iso = (at: Date | null) => at?.toISOString() ?? null;

export function meterOut(m: MeterListing): z.input<typeof MeterSchema> {
  return { ...m, createdAt: m.createdAt.toISOString(), archivedAt: iso(m.archivedAt) };
}

export function readingOut(r: ReadingListing): z.input<typeof ReadingSchema> {
  return {
    ...r,
    numeric: decimal(r.numeric),
    consumption: decimal(r.consumption),
    energy: decimal(r.energy),
    takenAt: r.takenAt.toISOString(),
  };
}

/** An alarm with its message worded in `locale` (the code's catalogue text, else the rule's own message). */
export function alarmOut(a: Alarm, locale: AlarmTextLocale): z.input<typeof AlarmSchema> {
  return {
    id: a.id,
    meterId: a.meterId,
    ruleId: a.ruleId,
    type: a.type,
    severity: a.severity,
    status: a.status,
    message: a.message,
    messageCode: a.messageCode,
    messageParams: a.messageCode ? (a.messageParams as Record<string, string | number> | null) : null,
    messageLocale: locale,
    localizedMessage: alarmMessageIn(locale, a),
    details: a.details,
    count: a.count,
    raisedAt: a.raisedAt.toISOString(),
    lastSeenAt: a.lastSeenAt.toISOString(),
    acknowledgedAt: iso(a.acknowledgedAt),
    acknowledgedBy: a.acknowledgedBy,
    clearedAt: iso(a.clearedAt),
    clearedBy: a.clearedBy,
  };
}

export function ruleOut(r: Rule): z.input<typeof RuleSchema> {
  return {
    id: r.id,
    type: r.type,
    meterId: r.meterId,
    group: r.group,
    config: r.config as Record<string, unknown>,
    severity: r.severity,
    enabled: r.enabled,
    // Stored actions were validated when saved; anything unreadable shows as none (as in the portal).
    actions: z.array(RuleActionSchema).catch([]).parse(r.actions),
    createdAt: r.createdAt.toISOString(),
  };
}

/** A page of rows as sent: the items and the cursor of the next page. */
export function pageOut<Row, Item>(page: { items: Row[]; next: PageKey | null }, out: (row: Row) => Item) {
  return { items: page.items.map(out), nextCursor: page.next && encodeCursor(page.next) };
}
