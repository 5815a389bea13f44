import type { AdapterReport } from '@metertwin/recognizer';

/**
 * Whether a trained adapter may read the meter: only if it does better than the base model on the
 * meter's held-back labels (report.better: no fewer right, more probability on the truth) and is not
 * wrong with confidence more often. Labels typed wrong make it worse on the held-back ones it should get
 * right, so such an adapter is refused here.
 */
export function adapterVerdict(report: AdapterReport): { promote: true } | { promote: false; reason: string } {
  const { base, adapted } = report.heldBack;
  const figures = `held back ${adapted.n}: right ${adapted.right} vs base ${base.right}, wrong with confidence ${adapted.wrongConfident} vs ${base.wrongConfident}, truth mass ${adapted.truthMass} vs ${base.truthMass}`;
  if (adapted.wrongConfident > base.wrongConfident) return { promote: false, reason: `more wrong with confidence than the base model (${figures})` };
  if (!report.better) return { promote: false, reason: `not better than the base model (${figures})` };
  return { promote: true };
}
