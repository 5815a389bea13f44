import { useLocale, useTranslations } from 'next-intl';
import { confidenceLevel, formatPercent } from '../lib/format';
import type { TwinPhoto } from '../lib/meters';
import styles from './photo.module.css';

const STROKE = { high: '#2fbf5a', medium: '#f2b200', low: '#ef3b2d' } as const;

const points = (quad: [number, number][]) => quad.map((p) => p.join(',')).join(' ');

/**
 * The capture with the counter window and each digit's box drawn over it (for a counter given as a
 * quad: the window quad and each drum's cell). The SVG shares the
 * frame's pixel coordinates (viewBox) and is stretched over the image, so boxes stay in place at any size.
 */
export function PhotoOverlay({ photo, alt }: { photo: TwinPhoto; alt: string }) {
  const { width, height } = photo;
  const hasSize = width !== null && height !== null;
  const t = useTranslations('photo');
  const locale = useLocale();
  return (
    <figure className={styles.figure}>
      <div className={styles.frame} style={hasSize ? { aspectRatio: `${width} / ${height}` } : undefined}>
        {/* A plain img, not next/image: the route already serves the stored bytes with long-lived cache headers. */}
        <img
          className={styles.image}
          src={`/api/captures/${photo.captureId}/image`}
          alt={alt}
          width={width ?? undefined}
          height={height ?? undefined}
        />
        {hasSize ? (
          <svg
            className={styles.overlay}
            viewBox={`0 0 ${width} ${height}`}
            preserveAspectRatio="none"
            aria-hidden="true"
            data-testid="digit-overlay"
          >
            {photo.counter ? (
              <>
                <polygon
                  points={points(photo.counter.quad)}
                  fill="none"
                  stroke="rgba(0,0,0,0.55)"
                  strokeWidth={4}
                  vectorEffect="non-scaling-stroke"
                />
                <polygon
                  points={points(photo.counter.quad)}
                  fill="none"
                  stroke="#ffffff"
                  strokeWidth={2}
                  strokeDasharray="6 4"
                  vectorEffect="non-scaling-stroke"
                  data-testid="window-box"
                />
              </>
            ) : photo.window ? (
              <>
                <rect
                  x={photo.window[0]}
                  y={photo.window[1]}
                  width={photo.window[2]}
                  height={photo.window[3]}
                  fill="none"
                  stroke="rgba(0,0,0,0.55)"
                  strokeWidth={4}
                  vectorEffect="non-scaling-stroke"
                />
                <rect
                  x={photo.window[0]}
                  y={photo.window[1]}
                  width={photo.window[2]}
                  height={photo.window[3]}
                  fill="none"
                  stroke="#ffffff"
                  strokeWidth={2}
                  strokeDasharray="6 4"
                  vectorEffect="non-scaling-stroke"
                  data-testid="window-box"
                />
              </>
            ) : null}
            {photo.digits.map((d, i) => {
              if (!d.box) return null;
              const [x, y, w, h] = d.box;
              // a turned counter: the drum's cell of the window quad, not its upright bounds
              const cell = photo.counter?.drums[i];
              const level = confidenceLevel(d.confidence);
              const fontSize = Math.max(10, Math.min(h * 0.42, w * 0.9));
              const above = y - fontSize * 0.35 > fontSize;
              return (
                <g key={i} data-testid="digit-box" data-level={level}>
                  {cell ? (
                    <polygon
                      points={points(cell)}
                      fill={STROKE[level]}
                      fillOpacity={0.12}
                      stroke={STROKE[level]}
                      strokeWidth={2.5}
                      vectorEffect="non-scaling-stroke"
                    />
                  ) : (
                    <rect
                      x={x}
                      y={y}
                      width={w}
                      height={h}
                      fill={STROKE[level]}
                      fillOpacity={0.12}
                      stroke={STROKE[level]}
                      strokeWidth={2.5}
                      vectorEffect="non-scaling-stroke"
                    />
                  )}
                  <text
                    x={x + w / 2}
                    y={above ? y - fontSize * 0.3 : y + h + fontSize}
                    textAnchor="middle"
                    fontSize={fontSize}
                    fontWeight={700}
                    fill={STROKE[level]}
                    stroke="rgba(0,0,0,0.8)"
                    strokeWidth={fontSize * 0.12}
                    paintOrder="stroke"
                    className={styles.label}
                  >
                    {d.digit ?? '?'}
                  </text>
                </g>
              );
            })}
          </svg>
        ) : null}
      </div>
      <figcaption className={styles.caption}>
        <ul className={styles.legend} aria-label={t('legend')}>
          {photo.digits.map((d, i) => {
            const level = confidenceLevel(d.confidence);
            return (
              <li
                key={i}
                className={`${styles.chip} ${styles[level]}`}
                title={t('drumPosition', { position: d.value.toFixed(1) })}
              >
                <span className={styles.chipDigit}>{d.digit ?? '?'}</span>
                <span>{formatPercent(d.confidence, locale)}</span>
              </li>
            );
          })}
        </ul>
        <p className={styles.key}>
          <span className={`${styles.swatch} ${styles.high}`} aria-hidden="true" /> ≥{' '}
          {formatPercent(0.8, locale)}
          <span className={`${styles.swatch} ${styles.medium}`} aria-hidden="true" /> ≥{' '}
          {formatPercent(0.6, locale)}
          <span className={`${styles.swatch} ${styles.low}`} aria-hidden="true" />{' '}
          {t('below', { percent: formatPercent(0.6, locale) })}
          <span className={styles.windowKey} aria-hidden="true" /> {t('counterWindow')}
        </p>
      </figcaption>
    </figure>
  );
}
