'use client';

import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState, useTransition, type FormEvent } from 'react';
import ui from '../../components/ui.module.css';
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
  const tError = useTranslations('errors');
  const router = useRouter();
  const [, startTransition] = useTransition();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  async function send(path: string, method: 'POST' | 'PUT', body: unknown, done: string) {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const res = await fetch(`/api/actuators/${actuatorId}/${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const json = (await res.json().catch(() => ({}))) as { error?: string; queued?: boolean };
      if (!res.ok) setError(json.error ?? tError('status', { status: res.status }));
      else if (json.queued === false) setNotice(t('notice.notQueued'));
      else setNotice(done);
      startTransition(() => router.refresh());
    } catch {
      setError(tError('unreachable'));
    } finally {
      setBusy(false);
    }
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
