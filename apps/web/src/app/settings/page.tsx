import type { Metadata } from 'next';
import ui from '../../components/ui.module.css';
import { hasRole } from '../../lib/auth';
import { deviceNetworks } from '../../lib/organization';
import { prisma } from '../../lib/server';
import { requireUser } from '../../lib/session';
import styles from '../rules/portal-forms.module.css';
import { DeviceNetworksForm } from './DeviceNetworksForm';

export const metadata: Metadata = { title: 'Settings' };
export const dynamic = 'force-dynamic';

export default async function SettingsPage() {
  const user = await requireUser();
  const networks = await deviceNetworks(prisma(), user.orgId);
  return (
    <section aria-labelledby="settings-title">
      <header className={styles.header}>
        <h1 id="settings-title" className={ui.pageTitle}>
          Settings
        </h1>
      </header>
      <section aria-labelledby="networks-title" className={styles.card}>
        <h2 id="networks-title" className={styles.name}>
          Device networks
        </h2>
        <p className={styles.meta}>
          The private networks your cameras, valves and internal webhook receivers are on (CIDR, e.g.{' '}
          <code className={styles.code}>192.168.1.0/24</code>). MeterTwin connects to public addresses and to
          these networks only: never to its own server, link-local or cloud metadata addresses.
        </p>
        {hasRole(user, 'admin') ? (
          <DeviceNetworksForm initial={networks} />
        ) : (
          <p className={styles.meta}>
            {networks.length ? networks.join(', ') : 'None: public cameras only.'} An admin can change this.
          </p>
        )}
      </section>
    </section>
  );
}
