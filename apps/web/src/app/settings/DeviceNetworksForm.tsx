'use client';

import { useTranslations } from 'next-intl';
import { useState, type FormEvent } from 'react';
import { SaveFooter } from '../../components/SaveFooter';
import { sendJson, useFailureText } from '../../lib/send-json';
import styles from '../rules/portal-forms.module.css';

/** One CIDR per line; the server checks each is a private network and answers what it saved. */
export function DeviceNetworksForm({ initial }: { initial: string[] }) {
  const t = useTranslations('settings.networks');
  const failureText = useFailureText();
  const [text, setText] = useState(initial.join('\n'));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const { networks } = await sendJson<{ networks: string[] }>('/api/organization/device-networks', {
        method: 'PUT',
        body: { networks: text.split(/[\s,]+/).filter(Boolean) },
      });
      setText(networks.join('\n'));
      setNotice(networks.length ? t('saved', { count: networks.length }) : t('savedNone'));
    } catch (e) {
      setError(failureText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className={styles.details} onSubmit={save}>
      <label className={styles.field}>
        {t('field')}
        <textarea
          name="networks"
          rows={4}
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder={'192.168.1.0/24\n10.20.0.0/16'}
          spellCheck={false}
        />
      </label>
      <SaveFooter label={t('save')} busy={busy} saved={notice} error={error} />
    </form>
  );
}
