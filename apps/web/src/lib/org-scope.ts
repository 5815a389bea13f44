import { isOrgMeter } from '@metertwin/alarms';
import type { PrismaClient } from '@metertwin/db';
import { findOrgMeterIds } from './meter.repository';

/**
 * Answers "is this meter in the organization?" for a long-lived stream: one query for the org's
 * meters up front, one more per meter that appears later (onboarded, or another org's). Meters never
 * change organization, so answers are kept.
 */
export async function orgMeterGate(
  prisma: PrismaClient,
  orgId: string,
): Promise<(meterId: string) => boolean | Promise<boolean>> {
  const known = new Map<string, boolean>((await findOrgMeterIds(prisma, orgId)).map((id) => [id, true]));
  return (meterId) => {
    const answer = known.get(meterId);
    if (answer !== undefined) return answer;
    return isOrgMeter(prisma, orgId, meterId).then((inOrg) => {
      if (known.size < 100_000) known.set(meterId, inOrg);
      return inOrg;
    });
  };
}
