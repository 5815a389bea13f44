'use client';

import { useTranslations } from 'next-intl';
import { useState, type FormEvent } from 'react';
import ui from '../../../components/ui.module.css';
import { useServerChange } from '../../../lib/send-json';
import styles from './twin.module.css';

/**
 * Operator's form: "the meter reads this now" (after a meter swap, or when its readings are stuck on a
 * wrong value). Later photos are judged from it (packages/meters setMeterValue).
 */
export function SetMeterValue({ meterId }: { meterId: string }) {
  const t = useTranslations('twin.setValue');
  const { busy, error, send } = useServerChange();
  const [value, setValue] = useState('');
  const [reason, setReason] = useState('');
  const [recorded, setRecorded] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setRecorded(null);
    if (await send(`/api/meters/${meterId}/value`, { body: { value, reason } })) setRecorded(value);
  }

  return (
    <details className={styles.setValue}>
      <summary>{t('title')}</summary>
      <form onSubmit={submit}>
        <p className="muted">{t('help')}</p>
        <label>
          {t('value')}
          <input value={value} onChange={(e) => setValue(e.target.value)} inputMode="decimal" required />
        </label>
        <label>
          {t('reason')}
          <input
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            placeholder={t('reasonExample')}
            minLength={3}
            required
          />
        </label>
        <button type="submit" className={ui.button} disabled={busy}>
          {t('save')}
        </button>
        {error ? (
          <p role="alert" className={ui.alert}>
            {error}
          </p>
        ) : null}
        {recorded ? <p role="status">{t('recorded', { value: recorded })}</p> : null}
      </form>
    </details>
  );
}
