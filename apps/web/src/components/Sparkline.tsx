import styles from './sparkline.module.css';

/** Bars of consumption per hour (server-rendered SVG: 48 tiles cost no JavaScript). */
export function Sparkline({ values, label }: { values: number[]; label: string }) {
  const max = Math.max(...values, 0);
  const width = 120;
  const height = 28;
  const bar = width / Math.max(values.length, 1);
  return (
    <svg
      className={styles.spark}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={label}
      preserveAspectRatio="none"
    >
      <line x1="0" x2={width} y1={height - 0.5} y2={height - 0.5} className={styles.base} />
      {max > 0
        ? values.map((v, i) => {
            const h = v > 0 ? Math.max(1.5, (v / max) * (height - 2)) : 0;
            return h > 0 ? (
              <rect
                key={i}
                x={i * bar + 0.5}
                y={height - h}
                width={Math.max(bar - 1, 1)}
                height={h}
                className={styles.bar}
              />
            ) : null;
          })
        : null}
    </svg>
  );
}
