'use client';

import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import type { FormEvent } from 'react';
import { useServerChange } from '../../lib/send-json';
import styles from '../signin/signin.module.css';

/** The new password for a reset link; on success, on to sign-in. */
export function NewPasswordForm({ token }: { token: string }) {
  const t = useTranslations('passwordReset');
  const router = useRouter();
  const { busy, error, send } = useServerChange();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const done = await send('/api/auth/password-reset/complete', {
      body: { token, password: data.get('password') },
    });
    if (done) router.push('/signin?notice=password-reset');
  }

  return (
    <form className={styles.form} onSubmit={submit}>
      {error ? (
        <p className={styles.error} role="alert">
          {error}
        </p>
      ) : null}
      <label htmlFor="password">{t('password')}</label>
      <input
        id="password"
        name="password"
        type="password"
        required
        minLength={10}
        maxLength={1000}
        autoComplete="new-password"
        autoFocus
        aria-describedby="password-hint"
      />
      <span id="password-hint" className="muted">
        {t('passwordHint')}
      </span>
      <button type="submit" className={styles.submit} disabled={busy}>
        {t('setSubmit')}
      </button>
    </form>
  );
}
