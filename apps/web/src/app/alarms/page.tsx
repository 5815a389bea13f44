import type { Metadata } from 'next';
import { useLocale, useTranslations } from 'next-intl';
import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { alarmMessageIn, alarmTextLocale } from '@metertwin/rules';
import { LiveRefresh } from '../../components/LiveRefresh';
import { RelativeTime } from '../../components/RelativeTime';
import ui from '../../components/ui.module.css';
import { useRuleTypeName } from '../../components/useRuleTypeName';
import { ALARM_FILTERS, listAlarms, type AlarmFilter, type AlarmRow } from '../../lib/alarms';
import { hasRole } from '../../lib/auth';
import { prisma } from '../../lib/server';
import { requireUser } from '../../lib/session';
import { AlarmActions } from './AlarmActions';
import styles from './alarms.module.css';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('alarms'))('title') };
}
export const dynamic = 'force-dynamic';

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
  const t = await getTranslations('alarms');

  return (
    <section aria-labelledby="alarms-title">
      <header className={styles.header}>
        <div>
          <h1 id="alarms-title" className={ui.pageTitle}>
            {t('title')}
          </h1>
          <p className="muted">{t('counts', counts)}</p>
        </div>
        {/* New alarms appear without a reload. */}
        <LiveRefresh events={['alarm.raised']} minIntervalMs={2000} />
      </header>
      <nav aria-label={t('filterLabel')} className={styles.filters}>
        {ALARM_FILTERS.map((f) => (
          <Link
            key={f}
            href={f === 'open' ? '/alarms' : `/alarms?status=${f}`}
            className={styles.filter}
            aria-current={f === filter ? 'page' : undefined}
          >
            {t(`filter.${f}`)}
          </Link>
        ))}
      </nav>
      {alarms.length === 0 ? (
        <p className={ui.panel}>{filter === 'open' ? t('noneOpen') : t('none')}</p>
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
  const t = useTranslations('alarms');
  const tSeverity = useTranslations('severity');
  const typeName = useRuleTypeName();
  const message = alarmMessageIn(alarmTextLocale(useLocale()), alarm);
  const time = (date: Date) => () => <RelativeTime date={date} now={now} />;
  return (
    <div className={styles.cardBody} id={`a-${alarm.id}`}>
      {alarm.captureId ? (
        <a href={`/api/captures/${alarm.captureId}/image`} className={styles.photoLink}>
          {/* The photo whose reading raised the alarm; a plain img for the cached capture route. */}
          <img
            src={`/api/captures/${alarm.captureId}/image`}
            alt={t('photoAlt', { name: alarm.meter.name })}
            className={styles.photo}
            loading="lazy"
          />
        </a>
      ) : (
        <div className={styles.noPhoto}>{t('noPhoto')}</div>
      )}
      <div className={styles.main}>
        <div className={styles.badges}>
          <span className={`${ui.tag} ${ui[alarm.severity]}`}>{tSeverity(alarm.severity)}</span>
          <span className={styles.status}>{t(`status.${alarm.status}`)}</span>
          {alarm.count > 1 ? <span className={styles.count}>×{alarm.count}</span> : null}
        </div>
        <h2 id={`alarm-${alarm.id}`} className={styles.message}>
          {message}
        </h2>
        <p className={styles.meta}>
          <Link href={`/meters/${alarm.meter.id}`}>{alarm.meter.name}</Link>
          {alarm.meter.location ? ` · ${alarm.meter.location}` : ''} · {typeName(alarm.type)} ·{' '}
          {alarm.count > 1
            ? t.rich('raisedLast', { raised: time(alarm.raisedAt), last: time(alarm.lastSeenAt) })
            : t.rich('raised', { raised: time(alarm.raisedAt) })}
        </p>
        {alarm.acknowledgedAt ? (
          <p className={styles.meta}>
            {t.rich('acknowledgedBy', { name: alarm.acknowledgedBy ?? '', time: time(alarm.acknowledgedAt) })}
          </p>
        ) : null}
        {alarm.clearedAt ? (
          <p className={styles.meta}>
            {alarm.clearedBy
              ? t.rich('clearedBy', { name: alarm.clearedBy, time: time(alarm.clearedAt) })
              : t.rich('clearedByRule', { time: time(alarm.clearedAt) })}
          </p>
        ) : null}
      </div>
      {canAct && alarm.status !== 'cleared' ? (
        <AlarmActions alarmId={alarm.id} status={alarm.status} label={message} />
      ) : null}
    </div>
  );
}
