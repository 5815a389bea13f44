'use client';

import { useTranslations } from 'next-intl';
import ui from '../../components/ui.module.css';
import { useServerChange } from '../../lib/send-json';
import styles from './alarms.module.css';

/** Acknowledge / Clear buttons of one alarm; the list reloads from the server after a change. */
export function AlarmActions({ alarmId, status, label }: { alarmId: string; status: string; label: string }) {
  const t = useTranslations('alarms');
  const { busy, error, send } = useServerChange();
  const act = (action: 'acknowledge' | 'clear') => send(`/api/alarms/${alarmId}/${action}`);

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
