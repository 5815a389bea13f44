'use client';

import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import ui from '../../../../components/ui.module.css';
import { useServerChange } from '../../../../lib/send-json';
import form from '../../../onboard/onboard.module.css';
import styles from './settings.module.css';

/**
 * Admin's delete: the meter, its photos and its whole history, once its name is typed to confirm
 * (DELETE /api/meters/:id). Then back to the fleet.
 */
export function DeleteMeter({ meterId, name, storedPhotos }: { meterId: string; name: string; storedPhotos: number }) {
  const t = useTranslations('meterSettings.delete');
  const router = useRouter();
  const { busy, error, send } = useServerChange();
  const [typed, setTyped] = useState('');

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (await send(`/api/meters/${meterId}`, { method: 'DELETE', body: { confirmName: typed } })) router.push('/');
  }

  return (
    <form className={`${form.card} ${styles.dangerZone}`} aria-labelledby="delete-title" onSubmit={submit}>
      <h2 id="delete-title">{t('title')}</h2>
      <p>{t('warning', { photos: storedPhotos })}</p>
      <div className={form.inline}>
        <label>
          <span>{t('typeName', { name })}</span>
          <input value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" />
        </label>
        <button type="submit" className={styles.deleteButton} disabled={busy || typed.trim() !== name}>
          {t('delete')}
        </button>
      </div>
      {error ? <p role="alert" className={ui.alert}>{error}</p> : null}
    </form>
  );
}
