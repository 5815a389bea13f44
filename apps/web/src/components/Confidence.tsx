import { useLocale, useTranslations } from 'next-intl';
import { confidenceLevel, formatPercent } from '../lib/format';
import styles from './ui.module.css';

export function Confidence({ value }: { value: number }) {
  const t = useTranslations('confidence');
  const locale = useLocale();
  const level = confidenceLevel(value);
  const pct = Math.max(0, Math.min(100, Math.round(value * 100)));
  return (
    <span className={`${styles.confidence} ${styles[level]}`} title={t(level)}>
      <span className={styles.bar} aria-hidden="true">
        <span style={{ width: `${pct}%` }} />
      </span>
      {formatPercent(value, locale)}
      <span className="visually-hidden"> ({t(level)})</span>
    </span>
  );
}
