import type { Metadata } from 'next';
import { useLocale, useTranslations } from 'next-intl';
import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { RelativeTime } from '../../components/RelativeTime';
import ui from '../../components/ui.module.css';
import { findOrgMeterTargets } from '@metertwin/alarms';
import { listActuators, type ActuatorRow } from '../../lib/actuators';
import { hasRole } from '../../lib/auth';
import type { Messages } from '../../i18n/messages';
import { formatAbsolute } from '../../lib/format';
import { prisma } from '../../lib/server';
import { requireUser } from '../../lib/session';
import styles from '../rules/portal-forms.module.css';
import { ActuatorActions } from './ActuatorActions';
import { ActuatorForm, DeleteActuatorButton } from './ActuatorForm';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('actuators'))('title') };
}
export const dynamic = 'force-dynamic';

const STATUS_CLASS = {
  pending: 'none',
  sent: 'warning',
  confirmed: 'ok',
  timeout: 'major',
  failed: 'critical',
} as const;

export default async function ActuatorsPage() {
  const user = await requireUser();
  const actuators = await listActuators(prisma(), user.orgId);
  const canAct = hasRole(user, 'operator');
  const isAdmin = hasRole(user, 'admin');
  const meters = isAdmin ? await findOrgMeterTargets(prisma(), user.orgId) : [];
  const now = new Date();
  const t = await getTranslations('actuators');

  return (
    <section aria-labelledby="actuators-title">
      <header className={styles.header}>
        <h1 id="actuators-title" className={ui.pageTitle}>
          {t('title')}
        </h1>
        <p className="muted">{t('intro')}</p>
      </header>
      {isAdmin ? (
        <details className={styles.newRule}>
          <summary className={styles.name}>{t('newActuator')}</summary>
          <ActuatorForm meters={meters} />
        </details>
      ) : null}
      {actuators.length === 0 ? (
        <p className={ui.panel}>
          {t.rich('none', { code: () => <code className={styles.code}>POST /v1/actuators</code> })}
        </p>
      ) : (
        <ul className={styles.list}>
          {actuators.map((actuator) => (
            <li key={actuator.id} className={styles.card} aria-labelledby={`actuator-${actuator.id}`}>
              <ActuatorCard actuator={actuator} canAct={canAct} isAdmin={isAdmin} now={now} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function ActuatorCard({ actuator, canAct, isAdmin, now }: { actuator: ActuatorRow; canAct: boolean; isAdmin: boolean; now: Date }) {
  const overrideActive = !!actuator.overrideUntil && actuator.overrideUntil > now;
  const t = useTranslations('actuators');
  const locale = useLocale();
  // Commands other than the manual ones (set through notify's API) keep their own name.
  const commandLabel = (command: string) => {
    const key = `commands.${command}` as `commands.${keyof Messages['actuators']['commands']}`;
    return t.has(key) ? t(key) : command;
  };
  return (
    <>
      <div className={styles.row}>
        <h2 id={`actuator-${actuator.id}`} className={styles.name}>
          {actuator.name}
        </h2>
        <span className={styles.buttons}>
          <span className={`${ui.tag} ${ui.none}`}>{actuator.kind}</span>
          <span className={`${ui.tag} ${actuator.state ? ui.ok : ui.none}`}>
            {actuator.state ? t('confirmedState', { state: actuator.state }) : t('stateUnknown')}
          </span>
          {overrideActive ? <span className={`${ui.tag} ${ui.minor}`}>{t('manualOverride')}</span> : null}
          {isAdmin ? <DeleteActuatorButton actuatorId={actuator.id} name={actuator.name} /> : null}
        </span>
      </div>
      <p className={styles.meta}>
        {t('meter')}{' '}
        {actuator.meter ? <Link href={`/meters/${actuator.meter.id}`}>{actuator.meter.name}</Link> : t('noMeter')} ·{' '}
        {t('override')}{' '}
        {overrideActive && actuator.overrideUntil
          ? t('overrideUntil', { time: formatAbsolute(actuator.overrideUntil, locale) })
          : t('noOverride')}
      </p>
      {actuator.commands.length === 0 ? (
        <p className={styles.meta}>{t('noCommands')}</p>
      ) : (
        <table className={styles.table}>
          <caption className="visually-hidden">{t('commandsCaption', { name: actuator.name })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('when')}</th>
              <th scope="col">{t('command')}</th>
              <th scope="col">{t('status')}</th>
              <th scope="col">{t('requestedBy')}</th>
            </tr>
          </thead>
          <tbody>
            {actuator.commands.map((c) => (
              <tr key={c.id}>
                <td>
                  <RelativeTime date={c.createdAt} now={now} />
                </td>
                <td>{commandLabel(c.command)}</td>
                <td>
                  <span className={`${ui.tag} ${ui[STATUS_CLASS[c.status]]}`}>{t(`commandStatus.${c.status}`)}</span>
                  {c.error ? <span className={styles.hint}> {c.error}</span> : null}
                </td>
                <td>{c.requestedBy}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canAct ? (
        <ActuatorActions actuatorId={actuator.id} name={actuator.name} overrideActive={overrideActive} />
      ) : null}
    </>
  );
}
