import { Prisma } from '@metertwin/db';
import { findNextAnchor } from '@metertwin/meters';
import { deriveConsumption, intervalEnergy, type CounterShape } from '@metertwin/readings';
import { findNextTrusted, updateInterval, type Tx } from './reading.repository.js';

/**
 * A trusted reading stored after a later one (photos processed out of order) splits that later reading's
 * interval: its consumption, flow and energy are counted from this reading from now on, so the meter's
 * intervals still add up without counting any water twice. A re-anchored successor keeps none: its old previous was declared wrong.
 */
export async function rebaseSuccessor(
  tx: Tx,
  stored: { meterId: string; numeric: Prisma.Decimal | null; takenAt: Date },
  shape: CounterShape,
  conversion: Prisma.JsonValue,
): Promise<void> {
  if (stored.numeric === null) return;
  const next = await findNextTrusted(tx, stored.meterId, stored.takenAt);
  if (!next || next.reanchored) return;
  // An operator's anchor between the two starts the later one's stretch: its interval counts from the anchor.
  const anchor = await findNextAnchor(tx, stored.meterId, stored.takenAt);
  if (anchor && anchor.setAt <= next.takenAt) return;
  const step = deriveConsumption(
    { numeric: Number(stored.numeric), takenAt: stored.takenAt },
    { numeric: Number(next.numeric), takenAt: next.takenAt },
    shape,
  );
  const { energy } = intervalEnergy(step.consumption, conversion);
  await updateInterval(tx, next.id, {
    consumption: new Prisma.Decimal(step.consumption.toFixed(shape.decimals)),
    flowPerHour: step.flowPerHour,
    energy: energy === null ? null : new Prisma.Decimal(energy.toFixed(6)),
  });
}
