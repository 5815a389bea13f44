'use client';

import { useLocale, useTranslations } from 'next-intl';
import { Confidence } from '../../components/Confidence';
import { Counter } from '../../components/Counter';
import { StatusBadge } from '../../components/StatusBadge';
import { formatPercent } from '../../lib/format';
import styles from './onboard.module.css';
import type { FirstReadingState, RectifiedStrip } from './useFirstReading';

/** The strip the drums are cut from, with the cuts between drums drawn over it. */
function StripPreview({ strip }: { strip: RectifiedStrip }) {
  const first = strip.cells[0]!;
  const last = strip.cells[strip.cells.length - 1]!;
  const t = useTranslations('onboard.firstReading');
  return (
    <figure className={styles.strip} data-testid="rectified-strip">
      <div className={styles.stripImage}>
        <img
          src={strip.image}
          width={strip.width}
          height={strip.height}
          alt={t('stripAlt', { count: strip.cells.length })}
        />
        <svg viewBox={`0 0 ${strip.width} ${strip.height}`} preserveAspectRatio="none" aria-hidden="true">
          <rect x={first[0]} y={first[1]} width={last[0] + last[2] - first[0]} height={first[3]} />
          {strip.cells.slice(1).map(([x], i) => (
            <line key={i} x1={x} y1={first[1]} x2={x} y2={first[1] + first[3]} />
          ))}
        </svg>
      </div>
      <figcaption className="muted">{t('stripCaption')}</figcaption>
    </figure>
  );
}

/**
 * The first reading of the photo with the layout as it is now: the rectified strip (four-corner
 * mode), the value, its status and confidence, and each dial's position.
 */
export function FirstReadingPanel({
  state,
  decimals,
  unit,
}: {
  state: FirstReadingState;
  decimals: number;
  unit: string;
}) {
  const { reading, error, pending, refresh } = state;
  const t = useTranslations('onboard.firstReading');
  const locale = useLocale();
  return (
    <div className={styles.firstReading} aria-busy={pending}>
      <div className={styles.inline}>
        <h3>{t('title')}</h3>
        <button type="button" onClick={refresh} disabled={pending}>
          {pending ? t('reading') : t('read')}
        </button>
      </div>
      {error ? (
        <p className={styles.error} role="alert">
          {error}
        </p>
      ) : null}
      {reading?.strip ? <StripPreview strip={reading.strip} /> : null}
      {reading ? (
        <div className={styles.preview} data-testid="first-reading" aria-live="polite">
          <Counter
            value={reading.value}
            digits={reading.digits.length + reading.dials.length}
            decimals={decimals + reading.dials.length}
            unit={unit}
            size="sm"
          />
          <StatusBadge status={reading.status} />
          <Confidence value={reading.confidence} />
          {reading.reason ? <span className="muted">{reading.reason}</span> : null}
          {reading.dials.length ? (
            <ol className={styles.dialValues} aria-label={t('dials')}>
              {reading.dials.map((d, i) => (
                <li key={i}>
                  {t('dial', {
                    n: i + 1,
                    value: d.value.toFixed(1),
                    confidence: formatPercent(d.confidence, locale),
                  })}
                </li>
              ))}
            </ol>
          ) : null}
        </div>
      ) : error ? null : (
        <p className="muted">{pending ? t('readingPhoto') : t('hint')}</p>
      )}
    </div>
  );
}
