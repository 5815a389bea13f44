'use client';

import { useTranslations } from 'next-intl';
import { useState, type FormEvent } from 'react';
import { useServerChange } from '../../lib/send-json';
import styles from '../signin/signin.module.css';

/** "Forgot password": the same answer whether or not the address has an account. */
export function ResetRequestForm() {
  const t = useTranslations('passwordReset');
  const { busy, error, send } = useServerChange();
  const [sent, setSent] = useState(false);

  async function request(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    setSent((await send('/api/auth/password-reset/request', { body: { email: data.get('email') } })) !== undefined);
  }

  return (
    <form className={styles.form} onSubmit={request}>
      {sent ? <p role="status">{t('sent')}</p> : null}
      {error ? (
        <p className={styles.error} role="alert">
          {error}
        </p>
      ) : null}
      <label htmlFor="email">{t('email')}</label>
      <input id="email" name="email" type="email" required maxLength={320} autoComplete="username" />
      <button type="submit" className={styles.submit} disabled={busy}>
        {t('submit')}
      </button>
    </form>
  );
}
