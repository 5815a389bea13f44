'use client';

import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import ui from '../../components/ui.module.css';
import styles from './alarms.module.css';

/** Acknowledge / Clear buttons of one alarm; the list reloads from the server after a change. */
export function AlarmActions({ alarmId, status, label }: { alarmId: string; status: string; label: string }) {
  const t = useTranslations('alarms');
  const tError = useTranslations('errors');
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [, startTransition] = useTransition();

  async function act(action: 'acknowledge' | 'clear') {
    setBusy(true);
    setError(null);
    try {
      const res = await fetch(`/api/alarms/${alarmId}/${action}`, { method: 'POST' });
      const json = (await res.json().catch(() => ({}))) as { error?: string };
      if (!res.ok) setError(json.error ?? tError('status', { status: res.status }));
      startTransition(() => router.refresh());
    } catch {
      setError(tError('unreachable'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className={styles.actions}>
      {status === 'active' ? (
        <button
          type="button"
          className={styles.button}
          disabled={busy}
          onClick={() => act('acknowledge')}
          aria-label={t('acknowledgeLabel', { label })}
        >
          {t('acknowledge')}
        </button>
      ) : null}
      <button
        type="button"
        className={`${styles.button} ${ui.secondary}`}
        disabled={busy}
        onClick={() => act('clear')}
        aria-label={t('clearLabel', { label })}
      >
        {t('clear')}
      </button>
      {error ? (
        <p role="alert" className={styles.error}>
          {error}
        </p>
      ) : null}
    </div>
  );
}
