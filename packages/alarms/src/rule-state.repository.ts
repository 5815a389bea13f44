import type { Prisma, PrismaClient } from '@metertwin/db';

/** What each rule remembers about a meter between evaluations (RuleState), by rule id. */
export async function findRuleStates(
  db: PrismaClient,
  meterId: string,
  ruleIds: readonly string[],
): Promise<Map<string, unknown>> {
  const states = await db.ruleState.findMany({ where: { meterId, ruleId: { in: [...ruleIds] } } });
  return new Map(states.map((s) => [s.ruleId, s.state as unknown]));
}

/** Stores the rule's state for the meter; null forgets it. */
export async function saveRuleState(
  db: PrismaClient,
  ruleId: string,
  meterId: string,
  state: Prisma.InputJsonValue | null,
): Promise<void> {
  if (state === null) {
    await db.ruleState.deleteMany({ where: { ruleId, meterId } });
    return;
  }
  await db.ruleState.upsert({
    where: { ruleId_meterId: { ruleId, meterId } },
    create: { ruleId, meterId, state },
    update: { state },
  });
}
