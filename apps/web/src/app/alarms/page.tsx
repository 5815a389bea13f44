import type { Metadata } from 'next';
import Link from 'next/link';
import { LiveRefresh } from '../../components/LiveRefresh';
import { RelativeTime } from '../../components/RelativeTime';
import ui from '../../components/ui.module.css';
import { ALARM_FILTERS, listAlarms, type AlarmFilter, type AlarmRow } from '../../lib/alarms';
import { hasRole } from '../../lib/auth';
import { prisma } from '../../lib/server';
import { requireUser } from '../../lib/session';
import { AlarmActions } from './AlarmActions';
import styles from './alarms.module.css';

export const metadata: Metadata = { title: 'Alarms' };
export const dynamic = 'force-dynamic';

const FILTER_LABEL: Record<AlarmFilter, string> = { open: 'Open', cleared: 'Cleared', all: 'All' };
const SEVERITY_LABEL = { critical: 'Critical', major: 'Major', minor: 'Minor', warning: 'Warning' } as const;
const STATUS_LABEL = { active: 'Active', acknowledged: 'Acknowledged', cleared: 'Cleared' } as const;

export default async function AlarmsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requireUser();
  const requested = (await searchParams).status;
  const filter: AlarmFilter = ALARM_FILTERS.find((f) => f === requested) ?? 'open';
  const { alarms, counts } = await listAlarms(prisma(), user.orgId, filter);
  const canAct = hasRole(user, 'operator');
  const now = new Date();

  return (
    <section aria-labelledby="alarms-title">
      <header className={styles.header}>
        <div>
          <h1 id="alarms-title" className={ui.pageTitle}>
            Alarms
          </h1>
          <p className="muted">
            {counts.active} active · {counts.acknowledged} acknowledged · {counts.cleared} cleared
          </p>
        </div>
        {/* New alarms appear without a reload. */}
        <LiveRefresh events={['alarm.raised']} minIntervalMs={2000} />
      </header>
      <nav aria-label="Alarm filter" className={styles.filters}>
        {ALARM_FILTERS.map((f) => (
          <Link
            key={f}
            href={f === 'open' ? '/alarms' : `/alarms?status=${f}`}
            className={styles.filter}
            aria-current={f === filter ? 'page' : undefined}
          >
            {FILTER_LABEL[f]}
          </Link>
        ))}
      </nav>
      {alarms.length === 0 ? (
        <p className={ui.panel}>{filter === 'open' ? 'No open alarms.' : 'No alarms here.'}</p>
      ) : (
        <ul className={styles.list}>
          {alarms.map((alarm) => (
            <li
              key={alarm.id}
              className={`${styles.card} ${styles[alarm.status]}`}
              aria-labelledby={`alarm-${alarm.id}`}
            >
              <AlarmCard alarm={alarm} canAct={canAct} now={now} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function AlarmCard({ alarm, canAct, now }: { alarm: AlarmRow; canAct: boolean; now: Date }) {
  return (
    <div className={styles.cardBody} id={`a-${alarm.id}`}>
      {alarm.captureId ? (
        <a href={`/api/captures/${alarm.captureId}/image`} className={styles.photoLink}>
          {/* The photo whose reading raised the alarm; a plain img for the cached capture route. */}
          <img
            src={`/api/captures/${alarm.captureId}/image`}
            alt={`Photo that raised the alarm on ${alarm.meter.name}`}
            className={styles.photo}
            loading="lazy"
          />
        </a>
      ) : (
        <div className={styles.noPhoto}>No photo</div>
      )}
      <div className={styles.main}>
        <div className={styles.badges}>
          <span className={`${ui.tag} ${ui[alarm.severity]}`}>{SEVERITY_LABEL[alarm.severity]}</span>
          <span className={styles.status}>{STATUS_LABEL[alarm.status]}</span>
          {alarm.count > 1 ? <span className={styles.count}>×{alarm.count}</span> : null}
        </div>
        <h2 id={`alarm-${alarm.id}`} className={styles.message}>
          {alarm.message}
        </h2>
        <p className={styles.meta}>
          <Link href={`/meters/${alarm.meter.id}`}>{alarm.meter.name}</Link>
          {alarm.meter.location ? ` · ${alarm.meter.location}` : ''} · {alarm.type} · raised{' '}
          <RelativeTime date={alarm.raisedAt} now={now} />
          {alarm.count > 1 ? (
            <>
              , last <RelativeTime date={alarm.lastSeenAt} now={now} />
            </>
          ) : null}
        </p>
        {alarm.acknowledgedAt ? (
          <p className={styles.meta}>
            Acknowledged by {alarm.acknowledgedBy} <RelativeTime date={alarm.acknowledgedAt} now={now} />
          </p>
        ) : null}
        {alarm.clearedAt ? (
          <p className={styles.meta}>
            Cleared by {alarm.clearedBy ?? 'the rule'} <RelativeTime date={alarm.clearedAt} now={now} />
          </p>
        ) : null}
      </div>
      {canAct && alarm.status !== 'cleared' ? (
        <AlarmActions alarmId={alarm.id} status={alarm.status} label={alarm.message} />
      ) : null}
    </div>
  );
}
