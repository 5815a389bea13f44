import type { Metadata } from 'next';
import ui from '../../components/ui.module.css';
import { hasRole } from '../../lib/auth';
import { deviceNetworks, listApiKeys } from '../../lib/organization';
import { prisma } from '../../lib/server';
import { requireUser } from '../../lib/session';
import styles from '../rules/portal-forms.module.css';
import { ApiKeysPanel } from './ApiKeysPanel';
import { DeviceNetworksForm } from './DeviceNetworksForm';
import settings from './settings.module.css';

export const metadata: Metadata = { title: 'Settings' };
export const dynamic = 'force-dynamic';

export default async function SettingsPage() {
  const user = await requireUser();
  const networks = await deviceNetworks(prisma(), user.orgId);
  const isAdmin = hasRole(user, 'admin');
  const keys = isAdmin ? await listApiKeys(prisma(), user.orgId) : [];
  return (
    <section aria-labelledby="settings-title" className={settings.sections}>
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
        {isAdmin ? (
          <DeviceNetworksForm initial={networks} />
        ) : (
          <p className={styles.meta}>
            {networks.length ? networks.join(', ') : 'None: public cameras only.'} An admin can change this.
          </p>
        )}
      </section>
      {isAdmin ? (
        <section aria-labelledby="keys-title" className={styles.card}>
          <h2 id="keys-title" className={styles.name}>
            API keys
          </h2>
          <p className={styles.meta}>
            Keys for the services&apos; APIs (rules, alarms, webhooks, actuators on notify, port 3004), for
            this organization only. Send one as{' '}
            <code className={styles.code}>Authorization: Bearer mtk_…</code>; a revoked key stops working at
            once.
          </p>
          <ApiKeysPanel
            keys={keys.map((k) => ({
              id: k.id,
              name: k.name,
              prefix: k.prefix,
              scopes: k.scopes,
              createdAt: k.createdAt.toISOString(),
              lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
              revokedAt: k.revokedAt?.toISOString() ?? null,
            }))}
          />
        </section>
      ) : null}
    </section>
  );
}
