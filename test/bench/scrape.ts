/** One histogram of a service's /metrics, summed over the replicas scraped: cumulative bucket counts by `le`. */
export interface Histogram {
  buckets: Map<number, number>;
  sum: number;
  count: number;
}

/**
 * Adds the series of `metric` with `queue="…"` (and, when given, `outcome="…"`) from a Prometheus text
 * page into `into`.
 */
export function addHistogram(into: Histogram, page: string, metric: string, queue: string, outcome?: string): void {
  const wanted = (labels: string) => labels.includes(`queue="${queue}"`) && (!outcome || labels.includes(`outcome="${outcome}"`));
  for (const line of page.split('\n')) {
    const match = /^(\w+)\{([^}]*)\} (\S+)$/.exec(line);
    if (!match || !match[1]!.startsWith(metric) || !wanted(match[2]!)) continue;
    const [, name, labels, value] = match;
    if (name === `${metric}_bucket`) {
      const le = /le="([^"]+)"/.exec(labels!)![1]!;
      const bound = le === '+Inf' ? Infinity : Number(le);
      into.buckets.set(bound, (into.buckets.get(bound) ?? 0) + Number(value));
    } else if (name === `${metric}_sum`) into.sum += Number(value);
    else if (name === `${metric}_count`) into.count += Number(value);
  }
}

export const emptyHistogram = (): Histogram => ({ buckets: new Map(), sum: 0, count: 0 });

/** The q-quantile of a histogram, interpolated linearly inside its bucket (as Prometheus does); null when empty. */
export function histogramQuantile(h: Histogram, q: number): number | null {
  if (h.count === 0) return null;
  const rank = q * h.count;
  let lower = 0;
  let below = 0;
  for (const [bound, cumulative] of [...h.buckets].sort((a, b) => a[0] - b[0])) {
    if (cumulative >= rank) {
      if (bound === Infinity) return lower;
      return lower + ((bound - lower) * (rank - below)) / Math.max(1, cumulative - below);
    }
    lower = bound;
    below = cumulative;
  }
  return lower;
}
