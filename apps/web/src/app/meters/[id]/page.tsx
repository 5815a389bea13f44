import type { Metadata } from 'next';
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
import { formatAbsolute, formatAmount, formatUnit, KIND_LABEL } from '../../../lib/format';
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
import styles from './twin.module.css';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ id: string }> };

// One query per request, shared by generateMetadata and the page; another organization's meter is not found.
const loadTwin = cache(async (id: string) => getMeterTwin(prisma(), (await requireUser()).orgId, id));

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const twin = await loadTwin((await params).id);
  return { title: twin ? twin.meter.name : 'Meter not found' };
}

export default async function MeterPage({ params }: Props) {
  const { id } = await params;
  const twin = await loadTwin(id);
  if (!twin) notFound();
  const { meter, reading, photo } = twin;
  const now = new Date();
  const user = await requireUser();
  const [series, learning] = await Promise.all([
    loadHistory(meter.id, meter.timeZone, now),
    getMeterLearning(prisma(), user.orgId, meter.id),
  ]);

  return (
    <>
      <nav aria-label="Breadcrumb" className={styles.breadcrumb}>
        <Link href="/">Meters</Link>
        <span aria-hidden="true"> / </span>
        <span aria-current="page">{meter.name}</span>
      </nav>

      <div className={styles.head}>
        <div>
          <h1>{meter.name}</h1>
          <p className={styles.meta}>
            {meter.location || 'No location set'} · {KIND_LABEL[meter.kind] ?? meter.kind} ·{' '}
            {formatUnit(meter.unit)} · {meter.digits - meter.decimals}+{meter.decimals} digits ·{' '}
            {meter.timeZone}
          </p>
        </div>
        <LiveRefresh meterId={meter.id} />
      </div>

      {twin.alarms.length > 0 ? (
        <section className={styles.alarms} aria-label="Active alarms">
          <h2 className="visually-hidden">Active alarms</h2>
          <ul>
            {twin.alarms.map((a) => (
              <li key={a.id}>
                <strong className={styles.severity}>{a.severity}</strong> {a.message}{' '}
                <span className={styles.alarmTime}>
                  raised <RelativeTime date={a.raisedAt} now={now} />
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
            <h2 id="photo-title">Latest photo</h2>
            {photo ? (
              <span className="muted">
                taken <RelativeTime date={photo.takenAt} now={now} />
              </span>
            ) : null}
          </div>
          {photo ? (
            <PhotoOverlay
              photo={photo}
              alt={`Latest photo of ${meter.name}, taken ${formatAbsolute(photo.takenAt)}`}
            />
          ) : (
            <p className={styles.placeholder}>No recognized photo yet.</p>
          )}
        </section>

        <section className={`${styles.card} ${styles.readingCard}`} aria-labelledby="reading-title">
          <h2 id="reading-title" className={styles.cardTitle}>
            Current reading
          </h2>
          {reading ? (
            <CurrentReading twin={twin} now={now} />
          ) : (
            <p className={styles.placeholder}>No reading yet.</p>
          )}
          <Totals series={series} unit={formatUnit(meter.unit)} energy={meter.energy} />
          <div className={styles.cameraBlock}>
            <h3>Camera</h3>
            <CameraStatus camera={twin.camera} />
          </div>
        </section>
      </div>

      <section className={`${styles.card} ${styles.historyCard}`} aria-labelledby="chart-title">
        <div className={styles.cardHead}>
          <h2 id="chart-title">History</h2>
          <a href={`/api/meters/${meter.id}/readings.csv`} download>
            Download CSV
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

      {learning ? <Learning meterId={meter.id} learning={learning} isAdmin={user.role === 'admin'} now={now} /> : null}

      <section className={`${styles.card} ${styles.historyCard}`} aria-labelledby="history-title">
        <div className={styles.cardHead}>
          <h2 id="history-title">Recent readings</h2>
          <span className="muted">last {HISTORY_LENGTH}</span>
        </div>
        {twin.history.length === 0 ? (
          <p className={styles.placeholder}>Readings will be listed here.</p>
        ) : (
          <div className={styles.tableScroll}>
            <table className={styles.table}>
              <thead>
                <tr>
                  <th scope="col">Taken</th>
                  <th scope="col" className={styles.num}>
                    Value ({formatUnit(meter.unit)})
                  </th>
                  <th scope="col">Status</th>
                  <th scope="col">Confidence</th>
                  <th scope="col">Note</th>
                </tr>
              </thead>
              <tbody>
                {twin.history.map((r) => (
                  <tr key={r.id} aria-current={r.id === reading?.id ? 'true' : undefined}>
                    <td>
                      <span className={styles.abs}>{formatAbsolute(r.takenAt)}</span>
                      <span className={styles.rel}>
                        <RelativeTime date={r.takenAt} now={now} />
                      </span>
                    </td>
                    <td className={`${styles.num} ${styles.value}`}>
                      {r.value ?? <span className="muted">unreadable</span>}
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

const ADAPTER_STATUS: Record<string, string> = {
  promoted: 'in use',
  rejected: 'rejected',
  retired: 'retired',
};

const figure = (s: { n: number; right: number; wrongConfident: number }) =>
  `${s.right}/${s.n} right, ${s.wrongConfident} wrong with confidence`;

/** An adapter's acceptance threshold: its own, learned from the meter's held-back labels, or the service's. */
function threshold(a: MeterLearning['adapters'][number]): { value: string; why: string } {
  const t = (a.threshold ?? {}) as { serviceMin?: number; reason?: string };
  const value = a.minConfidence !== null ? `${a.minConfidence} (learned)` : t.serviceMin !== undefined ? `${t.serviceMin} (service)` : 'service';
  return { value, why: t.reason ?? '' };
}

/** The meter's trust, its labels and its adapters with their held-back figures; admins may restore the previous adapter. */
function Learning({ meterId, learning, isAdmin, now }: { meterId: string; learning: MeterLearning; isAdmin: boolean; now: Date }) {
  const { trust, trustFigures, labels, adapters } = learning;
  const inUse = adapters.find((a) => a.status === 'promoted');
  const previous = inUse && adapters.find((a) => a.status === 'retired' && a.createdAt < inUse.createdAt);
  return (
    <section className={`${styles.card} ${styles.historyCard}`} aria-labelledby="learning-title" data-testid="learning">
      <div className={styles.cardHead}>
        <h2 id="learning-title">Learning this meter</h2>
        <span className={`${ui.badge} ${trust === 'trusted' ? ui.accepted : ui.minor}`} data-testid="trust">
          {trust === 'trusted' ? 'Trusted' : 'Learning: readings go to review'}
        </span>
      </div>
      <p className="muted">
        {labels.total} labeled drum crops from {labels.readings} reviewed reading(s), {labels.sinceLast} since the last adapter.
        {trustFigures?.reason ? ` ${trustFigures.reason}.` : ''}
        {inUse ? ` Readings are accepted when every drum reaches ${threshold(inUse).value}: ${threshold(inUse).why}.` : ''}
      </p>
      {adapters.length === 0 ? (
        <p className={styles.placeholder}>No adapter yet: the base model reads this meter.</p>
      ) : (
        <div className={styles.tableScroll}>
          <table className={styles.table}>
            <thead>
              <tr>
                <th scope="col">Trained</th>
                <th scope="col">Version</th>
                <th scope="col">Status</th>
                <th scope="col" className={styles.num}>Labels</th>
                <th scope="col">Held back: base</th>
                <th scope="col">Held back: adapted</th>
                <th scope="col">Threshold</th>
                <th scope="col">Note</th>
              </tr>
            </thead>
            <tbody>
              {adapters.map((a) => {
                const held = a.heldBack as { base: { n: number; right: number; wrongConfident: number }; adapted: { n: number; right: number; wrongConfident: number } };
                return (
                  <tr key={a.id} aria-current={a.status === 'promoted' ? 'true' : undefined}>
                    <td>
                      <RelativeTime date={a.createdAt} now={now} />
                    </td>
                    <td className={styles.model}>{a.version}</td>
                    <td>{ADAPTER_STATUS[a.status] ?? a.status}</td>
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
          <RestoreAdapter meterId={meterId} target={previous ? `adapter ${previous.version}` : 'the base model'} />
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
          <dt>Status</dt>
          <dd>
            <StatusBadge status={reading.status} />
          </dd>
        </div>
        <div>
          <dt>Confidence</dt>
          <dd>
            <Confidence value={reading.confidence} />
          </dd>
        </div>
        <div>
          <dt>Read</dt>
          <dd>
            <RelativeTime date={reading.takenAt} now={now} />
          </dd>
        </div>
        <div>
          <dt>Model</dt>
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
  const rows: [string, ChartBucket | undefined][] = [
    ['Today', series.day.at(-1)],
    ['Yesterday', series.day.at(-2)],
    ['This month', series.month.at(-1)],
    ['Last month', series.month.at(-2)],
  ];
  return (
    <div className={styles.cameraBlock}>
      <h3>Consumption</h3>
      <dl className={styles.facts} data-testid="totals">
        {rows.map(([label, b]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>
              {formatAmount(b?.consumption ?? 0)} {unit}
              {energy ? <span className={styles.energy}> · {formatAmount(b?.energy ?? 0)} kWh</span> : null}
            </dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

const CAPTURE_STATUS: Record<string, string> = {
  received: 'is waiting to be processed',
  preprocessed: 'is being recognized',
  recognized: 'was recognized',
  failed: 'could not be read',
};

function PendingCapture({ capture, now }: { capture: NonNullable<MeterTwin['pendingCapture']>; now: Date }) {
  const failed = capture.status === 'failed';
  return (
    <p className={`${styles.notice} ${failed ? styles.noticeBad : ''}`} role="status">
      A newer photo (<RelativeTime date={capture.takenAt} now={now} />){' '}
      {CAPTURE_STATUS[capture.status] ?? capture.status}
      {failed && capture.error ? `: ${capture.error}` : '.'}
    </p>
  );
}
