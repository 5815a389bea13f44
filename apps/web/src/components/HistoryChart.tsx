'use client';

import 'uplot/dist/uPlot.min.css';
import { useLocale, useTranslations } from 'next-intl';
import { useEffect, useMemo, useRef, useState } from 'react';
import type uPlot from 'uplot';
import { intlLocale } from '../i18n/locales';
import { HISTORY_RANGE_KEYS, HISTORY_RANGES, type HistoryRange } from '../lib/history';
import styles from './history.module.css';

/** One bucket as the server sends it (times in ms since the epoch; buckets in the meter's time zone). */
export interface ChartBucket {
  start: number;
  end: number;
  consumption: number;
  /** kWh, for meters with a conversion rule. */
  energy: number;
  counter: number | null;
  captureId: string | null;
  takenAt: number | null;
  readings: number;
}

/**
 * Numbers in the portal's locale; bucket and photo times in the meter's time zone, the zone the
 * buckets were cut in.
 */
function formats(locale: string, timeZone: string) {
  const tag = intlLocale(locale);
  const number = new Intl.NumberFormat(tag, { maximumFractionDigits: 3 });
  const bucket: Record<HistoryRange, Intl.DateTimeFormat> = {
    hour: new Intl.DateTimeFormat(tag, {
      timeZone,
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }),
    day: new Intl.DateTimeFormat(tag, { timeZone, day: 'numeric', month: 'short', year: 'numeric' }),
    month: new Intl.DateTimeFormat(tag, { timeZone, month: 'long', year: 'numeric' }),
  };
  const taken = new Intl.DateTimeFormat(tag, { timeZone, dateStyle: 'medium', timeStyle: 'short', hourCycle: 'h23' });
  return {
    number: (n: number) => number.format(n),
    bucket: (range: HistoryRange, ms: number) => bucket[range].format(ms),
    taken: (ms: number) => `${taken.format(ms)} (${timeZone})`,
  };
}

/** The summary's messages (next-intl's translator of the `history` namespace). */
type Translate = (
  key: 'summary.total' | 'summary.peak' | 'summary.counter' | 'summary.noReadings',
  values?: Record<string, string | number>,
) => string;

type Quantity = 'volume' | 'energy';
const amount = (b: ChartBucket, q: Quantity) => (q === 'energy' ? b.energy : b.consumption);

/** The bucket nearest to `idx` that has a photo behind it; null when none has. */
export function nearestWithPhoto(buckets: ChartBucket[], idx: number): number | null {
  for (let d = 0; d < buckets.length; d++) {
    if (buckets[idx - d]?.captureId) return idx - d;
    if (buckets[idx + d]?.captureId) return idx + d;
  }
  return null;
}

export function historySummary(
  range: HistoryRange,
  buckets: ChartBucket[],
  unit: string,
  options: {
    quantity: Quantity;
    formatBucket: (range: HistoryRange, ms: number) => string;
    formatNumber: (n: number) => string;
    t: Translate;
  },
): string {
  const { quantity, formatBucket, formatNumber: num, t } = options;
  const barUnit = quantity === 'energy' ? 'kWh' : unit;
  const total = buckets.reduce((s, b) => s + amount(b, quantity), 0);
  const peak = buckets.reduce<ChartBucket | null>(
    (p, b) => (!p || amount(b, quantity) > amount(p, quantity) ? b : p),
    null,
  );
  const counters = buckets.filter((b) => b.counter !== null);
  const parts = [
    t('summary.total', {
      quantity,
      range,
      count: HISTORY_RANGES[range].buckets,
      total: num(total),
      unit: barUnit,
    }),
  ];
  if (peak && amount(peak, quantity) > 0) {
    parts.push(
      t('summary.peak', { value: num(amount(peak, quantity)), unit: barUnit, bucket: formatBucket(range, peak.start) }),
    );
  }
  if (counters.length > 0) {
    parts.push(
      t('summary.counter', { from: num(counters[0]!.counter!), to: num(counters.at(-1)!.counter!), unit }),
    );
  } else {
    parts.push(t('summary.noReadings'));
  }
  return `${parts.join('; ')}.`;
}

/**
 * The twin page's history: bars of consumption per hour, day or month and a line of the counter
 * value (uPlot, on a canvas), a click on the chart opens the photo of the nearest reading, with a
 * text summary and a table for screen readers and keyboards.
 */
export function HistoryChart({
  series,
  unit,
  meterName,
  timeZone,
  energy = false,
}: {
  series: Record<HistoryRange, ChartBucket[]>;
  unit: string;
  meterName: string;
  /** The meter's IANA zone: buckets were cut in it, times are shown in it. */
  timeZone: string;
  /** The meter converts volume to energy: offer the energy view (kWh bars). */
  energy?: boolean;
}) {
  const t = useTranslations('history');
  const locale = useLocale();
  const [range, setRange] = useState<HistoryRange>('day');
  const [quantity, setQuantity] = useState<Quantity>(energy ? 'energy' : 'volume');
  const [selected, setSelected] = useState<number | null>(null);
  const holder = useRef<HTMLDivElement>(null);
  const buckets = series[range];
  const fmt = useMemo(() => formats(locale, timeZone), [locale, timeZone]);
  const formatBucket = fmt.bucket;
  const num = fmt.number;
  const barUnit = quantity === 'energy' ? 'kWh' : unit;
  const summary = useMemo(
    () => historySummary(range, buckets, unit, { quantity, formatBucket: fmt.bucket, formatNumber: fmt.number, t }),
    [range, buckets, unit, quantity, fmt, t],
  );
  const barsLabel = t('series.bars', { quantity, unit: barUnit });
  const counterLabel = t('series.counter', { unit });

  useEffect(() => {
    const el = holder.current;
    if (!el) return;
    let plot: uPlot | undefined;
    let observer: ResizeObserver | undefined;
    let cancelled = false;
    void import('uplot').then(({ default: UPlot }) => {
      if (cancelled) return;
      const xs = buckets.map((b) => (b.start + b.end) / 2 / 1000);
      const data: uPlot.AlignedData = [
        xs,
        // No bar at all for an empty bucket (a zero-height bar would draw a stroke along the axis).
        buckets.map((b) => (amount(b, quantity) === 0 ? null : amount(b, quantity))),
        buckets.map((b) => b.counter),
      ];
      const opts: uPlot.Options = {
        width: Math.max(el.clientWidth, 280),
        height: 280,
        tzDate: (ts) => UPlot.tzDate(new Date(ts * 1e3), timeZone),
        series: [
          { label: timeZone, value: (_u, v) => (v == null ? '–' : formatBucket(range, v * 1000)) },
          {
            label: barsLabel,
            scale: 'consumption',
            stroke: '#2a8fc4',
            fill: 'rgba(63, 176, 232, 0.45)',
            width: 1,
            paths: UPlot.paths.bars!({ size: [0.75, 48], align: 0 }),
            points: { show: false },
            value: (_u, v) => (v == null ? '–' : num(v)),
          },
          {
            label: counterLabel,
            scale: 'counter',
            stroke: '#0f2a3d',
            width: 2,
            spanGaps: true,
            points: { show: true, size: 5, fill: '#0f2a3d' },
            value: (_u, v) => (v == null ? '–' : num(v)),
          },
        ],
        scales: {
          x: { time: true, range: () => [buckets[0]!.start / 1000, buckets.at(-1)!.end / 1000] },
          consumption: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] },
          counter: { auto: true },
        },
        axes: [
          { stroke: '#52606d', grid: { stroke: '#eceff2' }, ticks: { stroke: '#d9dee4' } },
          {
            scale: 'consumption',
            stroke: '#2a8fc4',
            grid: { stroke: '#eceff2' },
            ticks: { stroke: '#d9dee4' },
            size: 56,
          },
          {
            scale: 'counter',
            side: 1,
            stroke: '#0f2a3d',
            grid: { show: false },
            ticks: { stroke: '#d9dee4' },
            size: 72,
          },
        ],
        cursor: { drag: { x: false, y: false } },
        legend: { live: true },
      };
      plot = new UPlot(opts, data, el);
      const chart = plot;
      chart.over.style.cursor = 'pointer';
      chart.over.addEventListener('click', () => {
        const idx = chart.cursor.idx;
        if (idx != null) setSelected(nearestWithPhoto(buckets, idx));
      });
      observer = new ResizeObserver(() => {
        chart.setSize({ width: Math.max(el.clientWidth, 280), height: 280 });
      });
      observer.observe(el);
    });
    return () => {
      cancelled = true;
      observer?.disconnect();
      plot?.destroy();
    };
  }, [buckets, range, quantity, timeZone, formatBucket, num, barsLabel, counterLabel]);

  const pick = selected !== null ? buckets[selected] : undefined;
  const withReadings = buckets.filter((b) => b.readings > 0);

  return (
    <div className={styles.history}>
      <div className={styles.toolbar}>
        <div role="group" aria-label={t('range')} className={styles.switch}>
          {HISTORY_RANGE_KEYS.map((key) => (
            <button
              key={key}
              type="button"
              aria-pressed={key === range}
              onClick={() => {
                setRange(key);
                setSelected(null);
              }}
            >
              {t('span', { range: key, count: HISTORY_RANGES[key].buckets })}
            </button>
          ))}
        </div>
        {energy ? (
          <div role="group" aria-label={t('quantity')} className={styles.switch}>
            {(['energy', 'volume'] as const).map((q) => (
              <button key={q} type="button" aria-pressed={q === quantity} onClick={() => setQuantity(q)}>
                {t('quantityButton', { quantity: q, unit })}
              </button>
            ))}
          </div>
        ) : null}
      </div>
      <figure className={styles.figure}>
        <div
          ref={holder}
          className={styles.chart}
          role="img"
          aria-label={summary}
          data-testid="history-chart"
        />
        <figcaption className={styles.caption}>
          {t('caption', { name: meterName, quantity, range, timeZone })}
        </figcaption>
      </figure>

      {pick?.captureId ? (
        <div className={styles.photo} role="region" aria-label={t('selectedPhoto')}>
          <a href={`/api/captures/${pick.captureId}/image`} target="_blank" rel="noreferrer">
            <img
              src={`/api/captures/${pick.captureId}/image`}
              alt={t('photoAlt', { name: meterName, time: pick.takenAt ? fmt.taken(pick.takenAt) : '' })}
            />
          </a>
          <div>
            <p className={styles.photoTitle}>{formatBucket(range, pick.start)}</p>
            <p>
              {t('pick.counter', { value: pick.counter === null ? '–' : `${num(pick.counter)} ${unit}` })} ·{' '}
              {t('pick.consumption', { value: num(pick.consumption), unit })}
              {energy ? ` · ${t('pick.energy', { value: num(pick.energy) })}` : ''} ·{' '}
              {t('pick.readings', { count: pick.readings })}
            </p>
            {pick.takenAt ? <p className="muted">{t('pick.taken', { time: fmt.taken(pick.takenAt) })}</p> : null}
            <button type="button" onClick={() => setSelected(null)}>
              {t('close')}
            </button>
          </div>
        </div>
      ) : selected === null ? null : (
        <p className="muted">{t('noPhoto')}</p>
      )}

      <details className={styles.details}>
        <summary>
          {t('table.summary', { with: withReadings.length, total: buckets.length })}
        </summary>
        {/* focusable, so that a keyboard can scroll the table sideways on a narrow screen */}
        <div className={styles.tableScroll} tabIndex={0} role="region" aria-label={summary}>
          <table className={styles.table}>
            <caption className="visually-hidden">{summary}</caption>
            <thead>
              <tr>
                <th scope="col">{t('table.bucket', { range, timeZone })}</th>
                <th scope="col">{t('table.consumption', { unit })}</th>
                {energy ? <th scope="col">{t('table.energy')}</th> : null}
                <th scope="col">{t('table.counter', { unit })}</th>
                <th scope="col">{t('table.readings')}</th>
                <th scope="col">{t('table.photo')}</th>
              </tr>
            </thead>
            <tbody>
              {withReadings.map((b) => (
                <tr key={b.start}>
                  <th scope="row">{formatBucket(range, b.start)}</th>
                  <td>{num(b.consumption)}</td>
                  {energy ? <td>{num(b.energy)}</td> : null}
                  <td>{b.counter === null ? '–' : num(b.counter)}</td>
                  <td>{b.readings}</td>
                  <td>
                    {b.captureId ? (
                      <button type="button" onClick={() => setSelected(buckets.indexOf(b))}>
                        {t('table.show')}
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </div>
  );
}
