import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import ui from '../../components/ui.module.css';
import { hasRole } from '../../lib/auth';
import { organizationLanguage, organizationRetention } from '@metertwin/org-admin';
import { listSlackChannels } from '@metertwin/slack-channels';
import { listWebhooks } from '@metertwin/webhook-subscriptions';
import { homeAssistantSettings } from '@metertwin/home-assistant';
import { deviceNetworks, listApiKeys } from '../../lib/organization';
import { prisma } from '../../lib/server';
import { requireUser } from '../../lib/session';
import styles from '../rules/portal-forms.module.css';
import { ApiKeysPanel } from './ApiKeysPanel';
import { SlackChannelsPanel } from './SlackChannelsPanel';
import { WebhooksPanel } from './WebhooksPanel';
import { DeviceNetworksForm } from './DeviceNetworksForm';
import { HomeAssistantSwitch } from './HomeAssistantSwitch';
import { OrganizationLanguageForm } from './OrganizationLanguageForm';
import { OrganizationRetentionForm } from './OrganizationRetentionForm';
import settings from './settings.module.css';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('settings'))('title') };
}
export const dynamic = 'force-dynamic';

export default async function SettingsPage() {
  const user = await requireUser();
  const networks = await deviceNetworks(prisma(), user.orgId);
  const homeAssistant = await homeAssistantSettings(prisma(), user.orgId);
  const isAdmin = hasRole(user, 'admin');
  const keys = isAdmin ? await listApiKeys(prisma(), user.orgId) : [];
  const webhooks = isAdmin ? await listWebhooks(prisma(), user.orgId) : [];
  const slackChannels = isAdmin ? await listSlackChannels(prisma(), user.orgId) : [];
  const language = isAdmin ? await organizationLanguage(prisma(), user.orgId) : null;
  const retention = isAdmin ? await organizationRetention(prisma(), user.orgId) : null;
  const t = await getTranslations('settings');
  const tAdmin = await getTranslations('admin.links');
  const tWebhooks = await getTranslations('admin.webhooks');
  const tSlack = await getTranslations('admin.slack');
  const code = (chunks: ReactNode) => <code className={styles.code}>{chunks}</code>;
  return (
    <section aria-labelledby="settings-title" className={settings.sections}>
      <header className={styles.header}>
        <h1 id="settings-title" className={ui.pageTitle}>
          {t('title')}
        </h1>
      </header>
      <section aria-labelledby="networks-title" className={styles.card}>
        <h2 id="networks-title" className={styles.name}>
          {t('networks.title')}
        </h2>
        <p className={styles.meta}>{t.rich('networks.intro', { code })}</p>
        {isAdmin ? (
          <DeviceNetworksForm initial={networks} />
        ) : (
          <p className={styles.meta}>
            {networks.length ? networks.join(', ') : t('networks.none')} {t('networks.adminOnly')}
          </p>
        )}
      </section>
      <section aria-labelledby="home-assistant-title" className={styles.card}>
        <h2 id="home-assistant-title" className={styles.name}>
          {t('homeAssistant.title')}
        </h2>
        <p className={styles.meta}>{t.rich('homeAssistant.intro', { code, prefix: homeAssistant.discoveryPrefix })}</p>
        {isAdmin ? (
          <HomeAssistantSwitch enabled={homeAssistant.enabled} />
        ) : (
          <p className={styles.meta}>
            {homeAssistant.enabled ? t('homeAssistant.on') : t('homeAssistant.off')} {t('homeAssistant.adminOnly')}
          </p>
        )}
      </section>
      {isAdmin ? (
        <section aria-labelledby="org-title" className={styles.card}>
          <h2 id="org-title" className={styles.name}>
            {tAdmin('title')}
          </h2>
          <ul className={settings.links}>
            <li>
              <Link href="/settings/users">{tAdmin('users')}</Link>
              <span className={styles.meta}> — {tAdmin('usersIntro')}</span>
            </li>
            <li>
              <Link href="/settings/audit">{tAdmin('audit')}</Link>
              <span className={styles.meta}> — {tAdmin('auditIntro')}</span>
            </li>
          </ul>
          <OrganizationLanguageForm initial={language} />
          {retention ? <OrganizationRetentionForm initial={retention} /> : null}
        </section>
      ) : null}
      {isAdmin ? (
        <section aria-labelledby="keys-title" className={styles.card}>
          <h2 id="keys-title" className={styles.name}>
            {t('keys.title')}
          </h2>
          <p className={styles.meta}>{t.rich('keys.intro', { code })}</p>
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
      {isAdmin ? (
        <section aria-labelledby="webhooks-title" className={styles.card}>
          <h2 id="webhooks-title" className={styles.name}>
            {tWebhooks('title')}
          </h2>
          <p className={styles.meta}>{tWebhooks('intro')}</p>
          <WebhooksPanel
            webhooks={webhooks.map((w) => ({ id: w.id, url: w.url, events: w.events, enabled: w.enabled }))}
          />
        </section>
      ) : null}
      {isAdmin ? (
        <section aria-labelledby="slack-title" className={styles.card}>
          <h2 id="slack-title" className={styles.name}>
            {tSlack('title')}
          </h2>
          <p className={styles.meta}>{tSlack('intro')}</p>
          <SlackChannelsPanel
            channels={slackChannels.map((c) => ({
              id: c.id,
              name: c.name,
              webhookUrlHint: c.webhookUrlHint,
              minSeverity: c.minSeverity,
              enabled: c.enabled,
            }))}
          />
        </section>
      ) : null}
    </section>
  );
}
