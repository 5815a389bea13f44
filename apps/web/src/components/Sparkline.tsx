import styles from './sparkline.module.css';

const WIDTH = 120;
const HEIGHT = 28;
const r = (n: number) => Math.round(n * 10) / 10;

/**
 * Bars of consumption per hour as one SVG path (server-rendered: a page of 48 tiles costs no
 * JavaScript and a few hundred bytes per tile).
 */
export function Sparkline({ values, label }: { values: number[]; label: string }) {
  const max = Math.max(...values, 0);
  const bar = WIDTH / Math.max(values.length, 1);
  const d =
    max > 0
      ? values
          .map((v, i) => {
            if (v <= 0) return '';
            const h = Math.max(1.5, (v / max) * (HEIGHT - 2));
            return `M${r(i * bar + 0.5)} ${HEIGHT}v${-r(h)}h${r(Math.max(bar - 1, 1))}v${r(h)}z`;
          })
          .join('')
      : '';
  return (
    <svg
      className={styles.spark}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      role="img"
      aria-label={label}
      preserveAspectRatio="none"
    >
      <line x1="0" x2={WIDTH} y1={HEIGHT - 0.5} y2={HEIGHT - 0.5} className={styles.base} />
      {d ? <path d={d} className={styles.bar} /> : null}
    </svg>
  );
}
