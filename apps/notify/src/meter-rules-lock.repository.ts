import type { PrismaClient } from '@metertwin/db';

/** Long enough for a whole meter's rules and their alarms; waiting for the lock counts too. */
const LOCK_TX = { maxWait: 30_000, timeout: 120_000 };

/**
 * Runs `work` while holding a Postgres advisory lock on the meter's rules, on every replica: the
 * reading handler and the rule timer read RuleState, evaluate and write it back, so two runs for one
 * meter at once would lose one run's state. The lock lives in its own transaction (two-key form, so
 * it never collides with recognize's one-key lock on the meter id) and is released when `work` ends;
 * `work` itself uses the ordinary client, so its writes commit as they go, as they did unlocked.
 */
export function withMeterRulesLock<T>(prisma: PrismaClient, meterId: string, work: () => Promise<T>): Promise<T> {
  return prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('metertwin:rules'), hashtext(${meterId}))`;
    return work();
  }, LOCK_TX);
}
