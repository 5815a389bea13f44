'use client';

import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import type { FormEvent } from 'react';
import { useServerChange } from '../../../lib/send-json';
import styles from '../../signin/signin.module.css';

/** Name and password for the new account; on success, on to sign-in. */
export function AcceptInvitationForm({ token }: { token: string }) {
  const t = useTranslations('invite');
  const router = useRouter();
  const { busy, error, send } = useServerChange();

  async function accept(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const created = await send(`/api/invitations/${encodeURIComponent(token)}`, {
      body: { name: data.get('name'), password: data.get('password') },
    });
    if (created) router.push('/signin?notice=invited');
  }

  return (
    <form className={styles.form} onSubmit={accept}>
      {error ? (
        <p className={styles.error} role="alert">
          {error}
        </p>
      ) : null}
      <label htmlFor="name">{t('name')}</label>
      <input id="name" name="name" required maxLength={100} autoComplete="name" autoFocus />
      <label htmlFor="password">{t('password')}</label>
      <input
        id="password"
        name="password"
        type="password"
        required
        minLength={10}
        maxLength={1000}
        autoComplete="new-password"
        aria-describedby="password-hint"
      />
      <span id="password-hint" className="muted">
        {t('passwordHint')}
      </span>
      <button type="submit" className={styles.submit} disabled={busy}>
        {t('submit')}
      </button>
    </form>
  );
}
