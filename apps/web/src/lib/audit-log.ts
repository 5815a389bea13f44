import { z } from 'zod';
import type { AuditFilter } from '@metertwin/alarms';

/** The audit log page's query string: its filters and page, checked at the boundary (bad values are ignored). */
export const AUDIT_PAGE_SIZE = 50;

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .transform((s) => new Date(`${s}T00:00:00Z`))
  .refine((d) => !Number.isNaN(d.getTime()));

const AuditQuerySchema = z.object({
  actor: z.uuid().optional().catch(undefined),
  action: z.string().min(1).max(100).optional().catch(undefined),
  from: day.optional().catch(undefined),
  to: day.optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1),
});

const DAY_MS = 24 * 3600_000;

export function auditQuery(params: Record<string, string | string[] | undefined>): {
  filter: AuditFilter;
  page: number;
} {
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) || undefined;
  const q = AuditQuerySchema.parse({
    actor: first(params.actor),
    action: first(params.action),
    from: first(params.from),
    to: first(params.to),
    page: first(params.page),
  });
  return {
    // "Until" is a whole day (UTC), so the filter ends at the next midnight.
    filter: {
      actorId: q.actor,
      action: q.action,
      from: q.from,
      to: q.to && new Date(q.to.getTime() + DAY_MS),
    },
    page: q.page,
  };
}
