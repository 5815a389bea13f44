import { DomainError, recordAudit, type Actor } from '@metertwin/alarms';
import type { CounterLayout } from '@metertwin/contracts';
import type { Meter, PrismaClient } from '@metertwin/db';
import { findOrgMeterRow, updateMeter } from './meter.repository.js';

/** What the audit row keeps of a layout (not its alignment marks' pixels). */
function layoutSummary(layout: unknown) {
  const l = layout as Partial<CounterLayout> | null;
  if (!l?.reference) return null;
  return { reference: l.reference, window: l.window ?? null, windowQuad: l.windowQuad ?? null, drums: l.digits?.length ?? 0, alignmentMarks: l.alignment?.marks.length ?? 0 };
}

/**
 * The camera was moved: the meter gets a new reference layout (drawn on a new photo, with alignment
 * marks cut from it by the caller), which preprocess registers every frame to from the next capture
 * on. The counter stays the same one, so its drum count must too. Audited `meter.reference.replaced`.
 */
export async function replaceMeterReference(prisma: PrismaClient, actor: Actor, meterId: string, layout: CounterLayout): Promise<Meter> {
  return prisma.$transaction(async (tx) => {
    const meter = await findOrgMeterRow(tx, actor.orgId, meterId);
    if (!meter) throw new DomainError('not-found', 'meter not found', { code: 'meter-not-found' });
    if (layout.digits.length !== meter.digits) {
      throw new DomainError('invalid', `layout.digits: the counter has ${meter.digits} drums; the new layout marks ${layout.digits.length}`, {
        code: 'layout-drums-changed',
        params: { field: 'digits', drums: meter.digits, marked: layout.digits.length },
      });
    }
    const updated = await updateMeter(tx, meterId, { layout });
    await recordAudit(tx, actor, 'meter.reference.replaced', { type: 'meter', id: meterId }, {
      before: layoutSummary(meter.layout),
      after: layoutSummary(layout),
    });
    return updated;
  });
}
