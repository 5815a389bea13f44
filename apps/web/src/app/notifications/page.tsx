import type { Metadata } from 'next';
import { loadPreferences } from '@metertwin/alarms';
import { getTranslations } from 'next-intl/server';
import ui from '../../components/ui.module.css';
import { firebaseWebSettings, webConfig } from '../../lib/config';
import { prisma } from '../../lib/server';
import { requireUser } from '../../lib/session';
import { NotificationSettings } from './NotificationSettings';
import styles from './notifications.module.css';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('notifications'))('title') };
}
export const dynamic = 'force-dynamic';

export default async function NotificationsPage() {
  const user = await requireUser();
  const { preferences } = await loadPreferences(prisma(), user.id);
  const t = await getTranslations('notifications');
  return (
    <section aria-labelledby="notifications-title" className={styles.page}>
      <h1 id="notifications-title" className={ui.pageTitle}>
        {t('title')}
      </h1>
      <p className="muted">{t('intro')}</p>
      <NotificationSettings publicKey={webConfig().WEB_PUSH_PUBLIC_KEY ?? null} fcm={firebaseWebSettings()} initial={preferences} />
    </section>
  );
}
