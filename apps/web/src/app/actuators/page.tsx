import type { Metadata } from 'next';
import Link from 'next/link';
import { RelativeTime } from '../../components/RelativeTime';
import ui from '../../components/ui.module.css';
import { listActuators, type ActuatorRow } from '../../lib/actuators';
import { hasRole } from '../../lib/auth';
import { formatAbsolute } from '../../lib/format';
import { prisma } from '../../lib/server';
import { requireUser } from '../../lib/session';
import styles from '../rules/portal-forms.module.css';
import { ActuatorActions } from './ActuatorActions';

export const metadata: Metadata = { title: 'Actuators' };
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
  const now = new Date();

  return (
    <section aria-labelledby="actuators-title">
      <header className={styles.header}>
        <h1 id="actuators-title" className={ui.pageTitle}>
          Actuators
        </h1>
        <p className="muted">
          Valves and switches rules can command. A manual override keeps the rules away from an actuator until
          the time you choose; manual commands are sent whatever the override.
        </p>
      </header>
      {actuators.length === 0 ? (
        <p className={ui.panel}>
          No actuators yet. Actuators are registered through the notify service’s API (
          <code className={styles.code}>POST /v1/actuators</code>, with the admin token).
        </p>
      ) : (
        <ul className={styles.list}>
          {actuators.map((actuator) => (
            <li key={actuator.id} className={styles.card} aria-labelledby={`actuator-${actuator.id}`}>
              <ActuatorCard actuator={actuator} canAct={canAct} now={now} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function ActuatorCard({ actuator, canAct, now }: { actuator: ActuatorRow; canAct: boolean; now: Date }) {
  const overrideActive = !!actuator.overrideUntil && actuator.overrideUntil > now;
  return (
    <>
      <div className={styles.row}>
        <h2 id={`actuator-${actuator.id}`} className={styles.name}>
          {actuator.name}
        </h2>
        <span className={styles.buttons}>
          <span className={`${ui.tag} ${ui.none}`}>{actuator.kind}</span>
          <span className={`${ui.tag} ${actuator.state ? ui.ok : ui.none}`}>
            {actuator.state ? `confirmed ${actuator.state}` : 'state unknown'}
          </span>
          {overrideActive ? <span className={`${ui.tag} ${ui.minor}`}>manual override</span> : null}
        </span>
      </div>
      <p className={styles.meta}>
        Meter:{' '}
        {actuator.meter ? <Link href={`/meters/${actuator.meter.id}`}>{actuator.meter.name}</Link> : 'none'} ·
        Override:{' '}
        {overrideActive && actuator.overrideUntil
          ? `until ${formatAbsolute(actuator.overrideUntil)}`
          : 'none (rules in charge)'}
      </p>
      {actuator.commands.length === 0 ? (
        <p className={styles.meta}>No commands yet.</p>
      ) : (
        <table className={styles.table}>
          <caption className="visually-hidden">Last commands to {actuator.name}</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Command</th>
              <th scope="col">Status</th>
              <th scope="col">Requested by</th>
            </tr>
          </thead>
          <tbody>
            {actuator.commands.map((c) => (
              <tr key={c.id}>
                <td>
                  <RelativeTime date={c.createdAt} now={now} />
                </td>
                <td>{c.command}</td>
                <td>
                  <span className={`${ui.tag} ${ui[STATUS_CLASS[c.status]]}`}>{c.status}</span>
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
