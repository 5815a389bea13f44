import type { Metadata } from 'next';
import { useLocale, useTranslations } from 'next-intl';
import { getLocale, getTranslations } from 'next-intl/server';
import { alarmMessageIn, alarmTextLocale } from '@metertwin/rules';
import { LEARN_MIN_READINGS } from '@metertwin/readings';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { CameraStatus } from '../../../components/CameraStatus';
import { HistoryChart, type ChartBucket } from '../../../components/HistoryChart';
import { Confidence } from '../../../components/Confidence';
import { LiveCounter } from '../../../components/LiveCounter';
import { LiveRefresh } from '../../../components/LiveRefresh';
import { PhotoOverlay } from '../../../components/PhotoOverlay';
import { RelativeTime } from '../../../components/RelativeTime';
import { StatusBadge } from '../../../components/StatusBadge';
import ui from '../../../components/ui.module.css';
import type { Messages } from '../../../i18n/messages';
import { formatAbsolute, formatAmount, formatUnit } from '../../../lib/format';
import {
  getConsumptionHistory,
  getMeterTwin,
  HISTORY_LENGTH,
  type HistoryBucket,
  type HistoryRange,
  type MeterTwin,
} from '../../../lib/meters';
import { getMeterLearning, type MeterLearning } from '../../../lib/adapters';
import { prisma } from '../../../lib/server';
import { requireUser } from '../../../lib/session';
import { RestoreAdapter } from './RestoreAdapter';
import { SetMeterValue } from './SetMeterValue';
import styles from './twin.module.css';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ id: string }> };

// One query per request, shared by generateMetadata and the page; another organization's meter is not found.
const loadTwin = cache(async (id: string) => getMeterTwin(prisma(), (await requireUser()).orgId, id));

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const twin = await loadTwin((await params).id);
  return { title: twin ? twin.meter.name : (await getTranslations('twin'))('notFound') };
}

export default async function MeterPage({ params }: Props) {
  const { id } = await params;
  const twin = await loadTwin(id);
  if (!twin) notFound();
  const { meter, reading, photo } = twin;
  const now = new Date();
  const user = await requireUser();
  const [t, tSeverity, tSettings, locale] = await Promise.all([
    getTranslations('twin'),
    getTranslations('severity'),
    getTranslations('meterSettings.twin'),
    getLocale(),
  ]);
  const [series, learning] = await Promise.all([
    loadHistory(meter.id, meter.timeZone, now),
    getMeterLearning(prisma(), user.orgId, meter.id),
  ]);

  return (
    <>
      <nav aria-label={t('breadcrumb')} className={styles.breadcrumb}>
        <Link href="/">{t('meters')}</Link>
        <span aria-hidden="true"> / </span>
        <span aria-current="page">{meter.name}</span>
      </nav>

      <div className={styles.head}>
        <div>
          <h1>{meter.name}</h1>
          <p className={styles.meta}>
            {meter.location || t('noLocation')} · {t(`kind.${meter.kind as keyof Messages['twin']['kind']}`)}{' '}
            · {formatUnit(meter.unit)} ·{' '}
            {t('digits', { integer: meter.digits - meter.decimals, decimals: meter.decimals })} ·{' '}
            {meter.timeZone}
          </p>
        </div>
        <div className={styles.headActions}>
          {user.role !== 'viewer' ? <Link href={`/meters/${meter.id}/settings`}>{tSettings('link')}</Link> : null}
          <LiveRefresh meterId={meter.id} />
        </div>
      </div>

      {meter.archivedAt ? (
        <p className={styles.archived} role="note">
          {tSettings('archivedOn', { date: formatAbsolute(meter.archivedAt, locale, meter.timeZone) })}
        </p>
      ) : null}

      {twin.alarms.length > 0 ? (
        <section className={styles.alarms} aria-label={t('activeAlarms')}>
          <h2 className="visually-hidden">{t('activeAlarms')}</h2>
          <ul>
            {twin.alarms.map((a) => (
              <li key={a.id}>
                <strong className={styles.severity}>{tSeverity(a.severity as 'critical')}</strong> {alarmMessageIn(alarmTextLocale(locale), a)}{' '}
                <span className={styles.alarmTime}>
                  {t.rich('raised', { time: () => <RelativeTime date={a.raisedAt} now={now} /> })}
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {twin.pendingCapture ? <PendingCapture capture={twin.pendingCapture} now={now} /> : null}

      <div className={styles.grid}>
        <section className={styles.card} aria-labelledby="photo-title">
          <div className={styles.cardHead}>
            <h2 id="photo-title">{t('latestPhoto')}</h2>
            {photo ? (
              <span className="muted">
                {t.rich('taken', { time: () => <RelativeTime date={photo.takenAt} now={now} /> })}
              </span>
            ) : null}
          </div>
          {photo ? (
            <PhotoOverlay
              photo={photo}
              alt={t('photoAlt', {
                name: meter.name,
                time: formatAbsolute(photo.takenAt, locale, meter.timeZone),
              })}
            />
          ) : (
            <p className={styles.placeholder}>{t('noPhoto')}</p>
          )}
        </section>

        <section className={`${styles.card} ${styles.readingCard}`} aria-labelledby="reading-title">
          <h2 id="reading-title" className={styles.cardTitle}>
            {t('currentReading')}
          </h2>
          {reading ? (
            <CurrentReading twin={twin} now={now} />
          ) : (
            <p className={styles.placeholder}>{t('noReading')}</p>
          )}
          <Totals series={series} unit={formatUnit(meter.unit)} energy={meter.energy} />
          <div className={styles.cameraBlock}>
            <h3>{t('camera')}</h3>
            <CameraStatus camera={twin.camera} />
          </div>
          {user.role !== 'viewer' ? <SetMeterValue meterId={meter.id} /> : null}
        </section>
      </div>

      <section className={`${styles.card} ${styles.historyCard}`} aria-labelledby="chart-title">
        <div className={styles.cardHead}>
          <h2 id="chart-title">{t('history')}</h2>
          <a href={`/api/meters/${meter.id}/readings.csv`} download>
            {t('downloadCsv')}
          </a>
        </div>
        <HistoryChart
          series={series}
          unit={formatUnit(meter.unit)}
          meterName={meter.name}
          timeZone={meter.timeZone}
          energy={meter.energy}
        />
      </section>

      {learning ? (
        <Learning meterId={meter.id} learning={learning} isAdmin={user.role === 'admin'} now={now} />
      ) : null}

      <section className={`${styles.card} ${styles.historyCard}`} aria-labelledby="history-title">
        <div className={styles.cardHead}>
          <h2 id="history-title">{t('recent.title')}</h2>
          <span className="muted">{t('recent.last', { count: HISTORY_LENGTH })}</span>
        </div>
        {twin.history.length === 0 ? (
          <p className={styles.placeholder}>{t('recent.empty')}</p>
        ) : (
          // focusable, so that a keyboard can scroll the table sideways on a narrow screen
          <div className={styles.tableScroll} tabIndex={0} role="region" aria-labelledby="history-title">
            <table className={styles.table}>
              <thead>
                <tr>
                  <th scope="col">{t('recent.taken')}</th>
                  <th scope="col" className={styles.num}>
                    {t('recent.value', { unit: formatUnit(meter.unit) })}
                  </th>
                  <th scope="col">{t('status')}</th>
                  <th scope="col">{t('confidence')}</th>
                  <th scope="col">{t('note')}</th>
                </tr>
              </thead>
              <tbody>
                {twin.history.map((r) => (
                  <tr key={r.id} aria-current={r.id === reading?.id ? 'true' : undefined}>
                    <td>
                      <span className={styles.abs}>{formatAbsolute(r.takenAt, locale, meter.timeZone)}</span>
                      <span className={styles.rel}>
                        <RelativeTime date={r.takenAt} now={now} timeZone={meter.timeZone} />
                      </span>
                    </td>
                    <td className={`${styles.num} ${styles.value}`}>
                      {r.value ?? <span className="muted">{t('unreadable')}</span>}
                    </td>
                    <td>
                      <StatusBadge status={r.status} />
                    </td>
                    <td>
                      <Confidence value={r.confidence} />
                    </td>
                    <td className={styles.note}>{r.reason ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

const ADAPTER_STATUSES = ['promoted', 'rejected', 'retired'];

/** The meter's trust, its labels and its adapters with their held-back figures; admins may restore the previous adapter. */
function Learning({
  meterId,
  learning,
  isAdmin,
  now,
}: {
  meterId: string;
  learning: MeterLearning;
  isAdmin: boolean;
  now: Date;
}) {
  const { trust, trustFigures, labels, adapters, drive } = learning;
  const inUse = adapters.find((a) => a.status === 'promoted');
  const previous = inUse && adapters.find((a) => a.status === 'retired' && a.createdAt < inUse.createdAt);
  const t = useTranslations('twin.learning');
  const figure = (s: { n: number; right: number; wrongConfident: number }) =>
    t('figure', { right: s.right, n: s.n, wrong: s.wrongConfident });
  /** An adapter's acceptance threshold: its own, learned from the meter's held-back labels, or the service's. */
  const threshold = (a: MeterLearning['adapters'][number]) => {
    const stored = (a.threshold ?? {}) as { serviceMin?: number; reason?: string };
    const value =
      a.minConfidence !== null
        ? t('thresholdLearned', { value: a.minConfidence })
        : stored.serviceMin !== undefined
          ? t('thresholdService', { value: stored.serviceMin })
          : t('thresholdServiceDefault');
    return { value, why: stored.reason ?? '' };
  };
  return (
    <section
      className={`${styles.card} ${styles.historyCard}`}
      aria-labelledby="learning-title"
      data-testid="learning"
    >
      <div className={styles.cardHead}>
        <h2 id="learning-title">{t('title')}</h2>
        <span className={`${ui.badge} ${trust === 'trusted' ? ui.accepted : ui.minor}`} data-testid="trust">
          {trust === 'trusted' ? t('trusted') : t('learning')}
        </span>
      </div>
      <p className="muted">
        {t('labels', { total: labels.total, readings: labels.readings, sinceLast: labels.sinceLast })}
        {trustFigures?.reason ? ` ${trustFigures.reason}.` : ''}
        {inUse ? ` ${t('acceptedAt', { threshold: threshold(inUse).value, why: threshold(inUse).why })}` : ''}
      </p>
      <p className="muted" data-testid="meter-drive">
        {drive.from === 'rules'
          ? t('drive.configured', { drive: t(`drive.${drive.drive}`) })
          : drive.from === 'learned'
            ? t('drive.learned', {
                drive: t(`drive.${drive.drive}`),
                shown: drive.figures[drive.drive],
                total: drive.figures.jump + drive.figures.continuous,
              })
            : drive.figures?.outcome === 'both'
              ? t('drive.conflicting', { jump: drive.figures.jump, continuous: drive.figures.continuous })
              : t('drive.unknown', {
                  shown: Math.max(drive.figures?.jump ?? 0, drive.figures?.continuous ?? 0),
                  needed: LEARN_MIN_READINGS,
                })}
      </p>
      {adapters.length === 0 ? (
        <p className={styles.placeholder}>{t('noAdapter')}</p>
      ) : (
        <div className={styles.tableScroll} tabIndex={0} role="region" aria-labelledby="learning-title">
          <table className={styles.table}>
            <thead>
              <tr>
                <th scope="col">{t('trained')}</th>
                <th scope="col">{t('version')}</th>
                <th scope="col">{t('status')}</th>
                <th scope="col" className={styles.num}>
                  {t('labelCount')}
                </th>
                <th scope="col">{t('heldBackBase')}</th>
                <th scope="col">{t('heldBackAdapted')}</th>
                <th scope="col">{t('threshold')}</th>
                <th scope="col">{t('note')}</th>
              </tr>
            </thead>
            <tbody>
              {adapters.map((a) => {
                const held = a.heldBack as {
                  base: { n: number; right: number; wrongConfident: number };
                  adapted: { n: number; right: number; wrongConfident: number };
                };
                return (
                  <tr key={a.id} aria-current={a.status === 'promoted' ? 'true' : undefined}>
                    <td>
                      <RelativeTime date={a.createdAt} now={now} />
                    </td>
                    <td className={styles.model}>{a.version}</td>
                    <td>{ADAPTER_STATUSES.includes(a.status) ? t(`adapterStatus.${a.status}`) : a.status}</td>
                    <td className={styles.num}>{a.labelCount}</td>
                    <td>{figure(held.base)}</td>
                    <td>{figure(held.adapted)}</td>
                    <td data-testid="adapter-threshold" title={threshold(a).why}>
                      {threshold(a).value}
                    </td>
                    <td className={styles.note}>{a.reason ?? ''}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {isAdmin && inUse ? (
        <div className={styles.learningActions}>
          <RestoreAdapter meterId={meterId} previousVersion={previous ? previous.version : null} />
        </div>
      ) : null}
    </section>
  );
}

const toChart = (b: HistoryBucket): ChartBucket => ({
  start: b.start.getTime(),
  end: b.end.getTime(),
  consumption: b.consumption,
  energy: b.energy,
  counter: b.counter,
  captureId: b.captureId,
  takenAt: b.takenAt?.getTime() ?? null,
  readings: b.readings,
});

async function loadHistory(
  meterId: string,
  timeZone: string,
  now: Date,
): Promise<Record<HistoryRange, ChartBucket[]>> {
  const db = prisma();
  const [hour, day, month] = await Promise.all(
    (['hour', 'day', 'month'] as const).map((range) =>
      getConsumptionHistory(db, meterId, range, { now, timeZone }),
    ),
  );
  return { hour: hour!.map(toChart), day: day!.map(toChart), month: month!.map(toChart) };
}

function CurrentReading({ twin, now }: { twin: MeterTwin; now: Date }) {
  const reading = twin.reading!;
  const { meter } = twin;
  const t = useTranslations('twin');
  return (
    <>
      <div className={styles.bigCounter} data-testid="current-reading">
        <LiveCounter
          meterId={meter.id}
          value={reading.value}
          takenAt={reading.takenAt.toISOString()}
          digits={meter.digits}
          decimals={meter.decimals}
          unit={meter.unit}
          size="lg"
        />
      </div>
      <dl className={styles.facts}>
        <div>
          <dt>{t('status')}</dt>
          <dd>
            <StatusBadge status={reading.status} />
          </dd>
        </div>
        <div>
          <dt>{t('confidence')}</dt>
          <dd>
            <Confidence value={reading.confidence} />
          </dd>
        </div>
        <div>
          <dt>{t('read')}</dt>
          <dd>
            <RelativeTime date={reading.takenAt} now={now} timeZone={meter.timeZone} />
          </dd>
        </div>
        <div>
          <dt>{t('model')}</dt>
          <dd className={styles.model}>{reading.modelVersion}</dd>
        </div>
      </dl>
      {reading.reason ? <p className={styles.reason}>{reading.reason}</p> : null}
    </>
  );
}

/** Today, yesterday, this month and last month, in the meter's time zone (the history's last buckets). */
function Totals({
  series,
  unit,
  energy,
}: {
  series: Record<HistoryRange, ChartBucket[]>;
  unit: string;
  energy: boolean;
}) {
  const t = useTranslations('twin.totals');
  const locale = useLocale();
  const rows: [string, ChartBucket | undefined][] = [
    [t('today'), series.day.at(-1)],
    [t('yesterday'), series.day.at(-2)],
    [t('thisMonth'), series.month.at(-1)],
    [t('lastMonth'), series.month.at(-2)],
  ];
  return (
    <div className={styles.cameraBlock}>
      <h3>{t('title')}</h3>
      <dl className={styles.facts} data-testid="totals">
        {rows.map(([label, b]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>
              {formatAmount(b?.consumption ?? 0, locale)} {unit}
              {energy ? (
                <span className={styles.energy}> · {formatAmount(b?.energy ?? 0, locale)} kWh</span>
              ) : null}
            </dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

const CAPTURE_STATUSES: readonly string[] = [
  'received',
  'preprocessed',
  'recognized',
  'failed',
] satisfies Array<keyof Messages['twin']['pending']>;

function PendingCapture({ capture, now }: { capture: NonNullable<MeterTwin['pendingCapture']>; now: Date }) {
  const t = useTranslations('twin.pending');
  const failed = capture.status === 'failed';
  const status = (
    CAPTURE_STATUSES.includes(capture.status) ? capture.status : 'other'
  ) as keyof Messages['twin']['pending'];
  return (
    <p className={`${styles.notice} ${failed ? styles.noticeBad : ''}`} role="status">
      {t.rich(status, {
        time: () => <RelativeTime date={capture.takenAt} now={now} />,
        status: capture.status,
      })}
      {failed && capture.error ? ` ${capture.error}` : ''}
    </p>
  );
}
