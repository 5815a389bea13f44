import { useTranslations } from 'next-intl';
import type { CSSProperties } from 'react';
import { counterDrums, formatUnit } from '../lib/format';
import styles from './counter.module.css';

const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
// One text node per drum, a digit per line (white-space: pre-line): 48 fleet tiles stay light.
const STRIP = DIGITS.join('\n');

/**
 * A reading drawn as the meter's rolling drums; the accessible name is the plain value with its unit.
 * Each drum is a strip of 0–9 moved by a CSS transform, so when the value changes (a live update
 * re-rendering the same element) the drums roll to the new digits instead of jumping.
 */
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
  const t = useTranslations('reading');
  const drums = counterDrums(value, { digits, decimals });
  const label = value === null ? t('unreadable') : `${value}${unit ? ` ${formatUnit(unit)}` : ''}`;
  return (
    <span className={styles.counterWrap} role="img" aria-label={label} data-value={value ?? ''}>
      <span
        className={`${styles.counter} ${styles[size]}`}
        style={{ '--drums': drums.length } as CSSProperties}
        aria-hidden="true"
      >
        {drums.map((d, i) => {
          const digit = DIGITS.indexOf(d.char);
          return (
            <span key={i} className={`${styles.drum} ${d.decimal ? styles.drumDecimal : ''}`}>
              {digit < 0 ? (
                <span className={styles.blank}>{d.char}</span>
              ) : (
                <span
                  className={styles.strip}
                  data-drum-strip=""
                  style={{ transform: `translateY(${-digit * 10}%)` }}
                >
                  {STRIP}
                </span>
              )}
            </span>
          );
        })}
      </span>
      {unit ? (
        <span className={styles.unit} aria-hidden="true">
          {formatUnit(unit)}
        </span>
      ) : null}
    </span>
  );
}
