import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { listMembers, organizationLanguage } from '@metertwin/org-admin';
import ui from '../../../components/ui.module.css';
import { prisma } from '../../../lib/server';
import { requireUser } from '../../../lib/session';
import styles from '../../rules/portal-forms.module.css';
import settings from '../settings.module.css';
import { UsersPanel } from './UsersPanel';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('admin.users'))('title') };
}
export const dynamic = 'force-dynamic';

/** Settings → Users (admins only; anyone else gets the 404 page). */
export default async function UsersPage() {
  const me = await requireUser('admin');
  const [{ users, invitations }, language] = await Promise.all([
    listMembers(prisma(), me.orgId),
    organizationLanguage(prisma(), me.orgId),
  ]);
  const t = await getTranslations('admin.users');
  return (
    <section aria-labelledby="users-title" className={settings.sections}>
      <header className={styles.header}>
        <h1 id="users-title" className={ui.pageTitle}>
          {t('title')}
        </h1>
      </header>
      <section className={styles.card}>
        <p className={styles.meta}>{t('intro')}</p>
        <UsersPanel
          meId={me.id}
          organizationLanguage={language}
          users={users.map((u) => ({
            id: u.id,
            name: u.name,
            email: u.email,
            role: u.role,
            lastSignInAt: u.lastSignInAt?.toISOString() ?? null,
            deactivated: Boolean(u.deactivatedAt),
          }))}
          invitations={invitations.map((i) => ({
            id: i.id,
            email: i.email,
            role: i.role,
            expiresAt: i.expiresAt.toISOString(),
          }))}
        />
      </section>
    </section>
  );
}
