'use client';

import { useTranslations } from 'next-intl';
import { useState, type FormEvent } from 'react';
import ui from '../../components/ui.module.css';
import { useServerChange } from '../../lib/send-json';
import styles from '../rules/portal-forms.module.css';

/** Manual close/open and the manual override of one actuator; the page reloads after each. */
export function ActuatorActions({
  actuatorId,
  name,
  overrideActive,
}: {
  actuatorId: string;
  name: string;
  overrideActive: boolean;
}) {
  const t = useTranslations('actuators');
  const { busy, error, setError, send: sendChange } = useServerChange();
  const [notice, setNotice] = useState<string | null>(null);

  async function send(path: string, method: 'POST' | 'PUT', body: unknown, done: string) {
    setNotice(null);
    const answer = await sendChange<{ queued?: boolean }>(`/api/actuators/${actuatorId}/${path}`, { method, body });
    // A command recorded while the queue is down is sent later by the reconciler.
    if (answer) setNotice(answer.queued === false ? t('notice.notQueued') : done);
  }

  function setOverride(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const local = String(new FormData(event.currentTarget).get('until') ?? '');
    const until = new Date(local);
    if (!local || Number.isNaN(until.getTime())) {
      setError(t('chooseUntil'));
      return;
    }
    void send('override', 'PUT', { until: until.toISOString() }, t('notice.overrideSet'));
  }

  return (
    <div className={styles.details}>
      <div className={styles.buttons}>
        <button
          type="button"
          className={styles.button}
          disabled={busy}
          onClick={() => send('commands', 'POST', { command: 'close' }, t('notice.closeQueued'))}
          aria-label={t('closeLabel', { name })}
        >
          {t('commands.close')}
        </button>
        <button
          type="button"
          className={`${styles.button} ${ui.secondary}`}
          disabled={busy}
          onClick={() => send('commands', 'POST', { command: 'open' }, t('notice.openQueued'))}
          aria-label={t('openLabel', { name })}
        >
          {t('commands.open')}
        </button>
        <form className={styles.buttons} onSubmit={setOverride}>
          <label className={styles.check}>
            {t('overrideUntilLabel')}
            <input type="datetime-local" name="until" required className={styles.code} />
          </label>
          <button type="submit" className={`${styles.button} ${ui.secondary}`} disabled={busy}>
            {t('setOverride')}
          </button>
        </form>
        {overrideActive ? (
          <button
            type="button"
            className={`${styles.button} ${styles.danger}`}
            disabled={busy}
            onClick={() => send('override', 'PUT', { until: null }, t('notice.overrideLifted'))}
          >
            {t('liftOverride')}
          </button>
        ) : null}
      </div>
      {error ? (
        <p role="alert" className={styles.error}>
          {error}
        </p>
      ) : null}
      {notice ? (
        <p role="status" className={styles.meta}>
          {notice}
        </p>
      ) : null}
    </div>
  );
}
