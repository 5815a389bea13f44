import { z } from 'zod';
import { DomainError, recordAudit, type Actor } from '@metertwin/alarms';
import type { MeterAnchor, PrismaClient } from '@metertwin/db';
import { insertAnchor } from './meter-anchor.repository.js';

/** What an operator says: the meter's value, from when (now when absent), and why. */
export const SetMeterValueSchema = z.object({
  value: z.string().trim().regex(/^\d+(\.\d+)?$/, 'a number such as 01234.567'),
  at: z.iso.datetime({ offset: true }).optional(),
  reason: z.string().trim().min(3).max(500),
});
export type SetMeterValueInput = z.infer<typeof SetMeterValueSchema>;

/** Later than this is a clock mistake, not a moment the operator saw the counter. */
const FUTURE_SLACK_MS = 5 * 60_000;

/**
 * "The meter reads X from this moment" (after a meter swap, or when its history is stuck on a wrong
 * value): readings taken from then on are judged against X instead of the readings before, and their
 * consumption counts from X. The value must fit the counter (its drums and decimal drums). Audited
 * in the same transaction.
 */
export async function setMeterValue(prisma: PrismaClient, actor: Actor, meterId: string, input: SetMeterValueInput, now = new Date()): Promise<MeterAnchor> {
  const meter = await prisma.meter.findFirst({ where: { id: meterId, orgId: actor.orgId }, select: { id: true, digits: true, decimals: true } });
  if (!meter) throw new DomainError('not-found', 'meter not found', { code: 'meter-not-found' });
  const [integer, fraction = ''] = input.value.split('.');
  const integerDrums = meter.digits - meter.decimals;
  if (integer!.replace(/^0+(?=\d)/, '').length > integerDrums) {
    throw new DomainError('invalid', `the counter has ${integerDrums} drums before the decimal point`, {
      code: 'value-integer-drums',
      params: { drums: integerDrums },
    });
  }
  if (fraction.length > meter.decimals) throw new DomainError('invalid', `the counter has ${meter.decimals} decimal drums`, {
      code: 'value-decimal-drums',
      params: { drums: meter.decimals },
    });
  const setAt = input.at ? new Date(input.at) : now;
  if (setAt.getTime() > now.getTime() + FUTURE_SLACK_MS) throw new DomainError('invalid', 'the moment is in the future', { code: 'value-in-future' });
  return prisma.$transaction(async (tx) => {
    const anchor = await insertAnchor(tx, { meterId, value: input.value, setAt, reason: input.reason, createdBy: actor.type === 'user' ? actor.id : null });
    await recordAudit(tx, actor, 'meter.value.set', { type: 'meter', id: meterId }, { anchorId: anchor.id, value: input.value, setAt: setAt.toISOString(), reason: input.reason });
    return anchor;
  });
}
