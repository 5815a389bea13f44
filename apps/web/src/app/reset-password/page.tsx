import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { isPasswordResetUsable } from '@metertwin/org-admin';
import { prisma } from '../../lib/server';
import styles from '../signin/signin.module.css';
import { NewPasswordForm } from './NewPasswordForm';
import { ResetRequestForm } from './ResetRequestForm';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('passwordReset'))('title') };
}
export const dynamic = 'force-dynamic';

/**
 * Signed out: without `?token=`, ask for a reset link by e-mail; with the e-mailed link's token,
 * choose the new password (or, for a used or expired link, ask for a new one).
 */
export default async function ResetPasswordPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { token } = await searchParams;
  const t = await getTranslations('passwordReset');
  const usable = typeof token === 'string' && (await isPasswordResetUsable(prisma(), token));
  return (
    <section className={styles.card} aria-labelledby="reset-title">
      <h1 id="reset-title" className={styles.title}>
        {usable ? t('setTitle') : t('title')}
      </h1>
      {usable && typeof token === 'string' ? (
        <NewPasswordForm token={token} />
      ) : (
        <>
          {token !== undefined ? (
            <p className={styles.error} role="alert">
              {t('invalid')}
            </p>
          ) : null}
          <p className="muted">{t('intro')}</p>
          <ResetRequestForm />
        </>
      )}
      <p>
        <a href="/signin">{t('backToSignIn')}</a>
      </p>
    </section>
  );
}
