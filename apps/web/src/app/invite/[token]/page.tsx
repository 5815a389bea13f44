import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { findInvitation } from '@metertwin/org-admin';
import { prisma } from '../../../lib/server';
import styles from '../../signin/signin.module.css';
import { AcceptInvitationForm } from './AcceptInvitationForm';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('invite'))('pageTitle') };
}
export const dynamic = 'force-dynamic';

/** The invitation e-mail's link (signed out): who invited whom, then name and password. */
export default async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invitation = await findInvitation(prisma(), token);
  const t = await getTranslations('invite');
  const tRole = await getTranslations('roles');
  if (!invitation) {
    return (
      <section className={styles.card} aria-labelledby="invite-title">
        <h1 id="invite-title" className={styles.title}>
          {t('invalidTitle')}
        </h1>
        <p className={styles.error} role="alert">
          {t('invalid')}
        </p>
      </section>
    );
  }
  return (
    <section className={styles.card} aria-labelledby="invite-title">
      <h1 id="invite-title" className={styles.title}>
        {t('title', { org: invitation.orgName })}
      </h1>
      <p className="muted">{t('intro', { email: invitation.email, role: tRole(invitation.role) })}</p>
      <AcceptInvitationForm token={token} />
    </section>
  );
}
