import type { Metadata } from 'next';
import Link from 'next/link';
import { CameraStatus } from '../components/CameraStatus';
import { Confidence } from '../components/Confidence';
import { Counter } from '../components/Counter';
import { LiveRefresh } from '../components/LiveRefresh';
import { RelativeTime } from '../components/RelativeTime';
import { StatusBadge } from '../components/StatusBadge';
import { KIND_LABEL } from '../lib/format';
import { listFleet, type FleetMeter } from '../lib/meters';
import { prisma } from '../lib/server';
import styles from './fleet.module.css';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Meters' };

export default async function FleetPage() {
  const meters = await listFleet(prisma());
  const now = new Date();
  const attention = meters.filter(
    (m) => m.camera.state === 'error' || m.activeAlarms > 0 || (m.latest && m.latest.status !== 'accepted'),
  ).length;

  return (
    <>
      <div className={styles.head}>
        <div>
          <h1>Meters</h1>
          <p className="muted">
            {meters.length === 0
              ? 'No meters yet.'
              : `${meters.length} ${meters.length === 1 ? 'meter' : 'meters'}${attention > 0 ? ` · ${attention} need attention` : ''}`}
          </p>
        </div>
        <LiveRefresh minIntervalMs={5000} />
      </div>
      {meters.length === 0 ? <EmptyFleet /> : <FleetTable meters={meters} now={now} />}
    </>
  );
}

function FleetTable({ meters, now }: { meters: FleetMeter[]; now: Date }) {
  return (
    <div className={styles.card}>
      <table className={styles.table}>
        <caption className="visually-hidden">All meters with their latest reading and camera state</caption>
        <thead>
          <tr>
            <th scope="col">Meter</th>
            <th scope="col">Kind</th>
            <th scope="col">Latest reading</th>
            <th scope="col">Status</th>
            <th scope="col">Confidence</th>
            <th scope="col">Read</th>
            <th scope="col">Camera</th>
          </tr>
        </thead>
        <tbody>
          {meters.map((m) => (
            <tr key={m.id}>
              <th scope="row" className={styles.meterCell}>
                <Link href={`/meters/${m.id}`} className={styles.meterLink}>
                  {m.name}
                </Link>
                <span className={styles.location}>{m.location || 'No location set'}</span>
                {m.activeAlarms > 0 ? (
                  <span className={styles.alarms}>
                    {m.activeAlarms} active {m.activeAlarms === 1 ? 'alarm' : 'alarms'}
                  </span>
                ) : null}
              </th>
              <td data-label="Kind" className={styles.nowrap}>
                {KIND_LABEL[m.kind] ?? m.kind}
              </td>
              <td data-label="Latest reading">
                {m.latest ? (
                  <Counter value={m.latest.value} digits={m.digits} decimals={m.decimals} unit={m.unit} />
                ) : (
                  <span className="muted">No reading yet</span>
                )}
              </td>
              <td data-label="Status">
                <StatusBadge status={m.latest?.status ?? null} />
              </td>
              <td data-label="Confidence">
                {m.latest ? <Confidence value={m.latest.confidence} /> : <span className="muted">–</span>}
              </td>
              <td data-label="Read">
                {m.latest ? (
                  <RelativeTime date={m.latest.takenAt} now={now} />
                ) : (
                  <span className="muted">–</span>
                )}
              </td>
              <td data-label="Camera">
                <CameraStatus camera={m.camera} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function EmptyFleet() {
  return (
    <section className={styles.empty} aria-labelledby="empty-title">
      <h2 id="empty-title">Add your first meter</h2>
      <p>MeterTwin reads a meter from photos of its counter. To put a meter on this page:</p>
      <ol>
        <li>
          <strong>Create the meter and its camera</strong> (name, number of digits and decimals, unit) with{' '}
          <code>createMeterWithCamera()</code> from <code>@metertwin/db</code>. For a demo meter read from the
          simulated camera, run <code>pnpm exec tsx scripts/seed-demo.ts --camera http://127.0.0.1:8081</code>
          .
        </li>
        <li>
          <strong>Give it its counter layout</strong>: the digit boxes on a reference photo. Check them with{' '}
          <code>pnpm metertwin locate photo.jpg --meter layout.json</code>.
        </li>
        <li>
          <strong>Let the camera send photos</strong> (device upload, or a snapshot URL that ingest pulls):
          the first reading appears here within seconds.
        </li>
      </ol>
      <p className="muted">Adding meters from the portal comes with sign-in and roles.</p>
    </section>
  );
}
