import type { Prisma } from '@metertwin/db';

/** The meter fields that decide which of its organization's rules apply to it. */
export interface ScopedMeter {
  id: string;
  orgId: string;
  group: string | null;
}

/**
 * Rules that apply to a meter: its own, its group's (meterId null, group = the meter's group) and the
 * organization-wide ones (meterId and group null).
 */
export function rulesForMeter(meter: ScopedMeter): Prisma.RuleWhereInput {
  return {
    enabled: true,
    orgId: meter.orgId,
    OR: [
      { meterId: meter.id },
      { meterId: null, group: null },
      ...(meter.group ? [{ meterId: null, group: meter.group }] : []),
    ],
  };
}

/** The same test in memory, for a list of rules loaded for many meters at once. */
export function ruleAppliesTo(
  rule: { orgId: string; meterId: string | null; group: string | null },
  meter: ScopedMeter,
): boolean {
  if (rule.orgId !== meter.orgId) return false;
  if (rule.meterId !== null) return rule.meterId === meter.id;
  return rule.group === null || rule.group === meter.group;
}
