import { confidenceLevel, formatPercent } from '../lib/format';
import styles from './ui.module.css';

const LEVEL_TEXT = { high: 'high', medium: 'medium', low: 'low' } as const;

export function Confidence({ value }: { value: number }) {
  const level = confidenceLevel(value);
  const pct = Math.max(0, Math.min(100, Math.round(value * 100)));
  return (
    <span className={`${styles.confidence} ${styles[level]}`} title={`${LEVEL_TEXT[level]} confidence`}>
      <span className={styles.bar} aria-hidden="true">
        <span style={{ width: `${pct}%` }} />
      </span>
      {formatPercent(value)}
      <span className="visually-hidden"> ({LEVEL_TEXT[level]} confidence)</span>
    </span>
  );
}
