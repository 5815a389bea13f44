import type { AdapterReport } from '@metertwin/recognizer';

/**
 * Whether a trained adapter may read the meter: only if it does better than the base model on the
 * meter's held-back labels (report.better: no fewer right, more probability on the truth) and is not
 * wrong with confidence more often. Labels typed wrong make it worse on the held-back ones it should get
 * right, so such an adapter is refused here. Held-back labels come from the same operators, though: a
 * label set wrong throughout would teach the adapter its errors and judge it by them. The base model's
 * confidence is calibrated on meters it never saw, so labels that contradict its confident answers on
 * most held-back crops are suspect, and no adapter is promoted on them.
 */
export function adapterVerdict(report: AdapterReport): { promote: true } | { promote: false; reason: string } {
  const { base, adapted } = report.heldBack;
  const figures = `held back ${adapted.n}: right ${adapted.right} vs base ${base.right}, wrong with confidence ${adapted.wrongConfident} vs ${base.wrongConfident}, truth mass ${adapted.truthMass} vs ${base.truthMass}`;
  if (base.wrongConfident * 2 > base.n) return { promote: false, reason: `the labels contradict the base model's confident answers on most held-back crops: check them (${figures})` };
  if (adapted.wrongConfident > base.wrongConfident) return { promote: false, reason: `more wrong with confidence than the base model (${figures})` };
  if (!report.better) return { promote: false, reason: `not better than the base model (${figures})` };
  return { promote: true };
}
