import type { CSSProperties } from 'react';
import { counterDrums, formatUnit } from '../lib/format';
import styles from './ui.module.css';

/** A reading drawn as the meter's rolling drums; the accessible name is the plain value with its unit. */
export function Counter({
  value,
  digits,
  decimals,
  unit,
  size = 'sm',
}: {
  value: string | null;
  digits: number;
  decimals: number;
  unit?: string;
  size?: 'sm' | 'lg';
}) {
  const drums = counterDrums(value, { digits, decimals });
  const label = value === null ? 'unreadable' : `${value}${unit ? ` ${formatUnit(unit)}` : ''}`;
  return (
    <span className={styles.counterWrap} role="img" aria-label={label}>
      <span
        className={`${styles.counter} ${styles[size]}`}
        style={{ '--drums': drums.length } as CSSProperties}
        aria-hidden="true"
      >
        {drums.map((d, i) => (
          <span
            key={i}
            className={`${styles.drum} ${d.decimal ? styles.drumDecimal : ''} ${value === null ? styles.drumBlank : ''}`}
          >
            {d.char}
          </span>
        ))}
      </span>
      {unit ? (
        <span className={styles.unit} aria-hidden="true">
          {formatUnit(unit)}
        </span>
      ) : null}
    </span>
  );
}
