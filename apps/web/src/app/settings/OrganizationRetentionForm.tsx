'use client';

import type { OrganizationRetention } from '@metertwin/org-admin';
import { useTranslations } from 'next-intl';
import { useState, type FormEvent } from 'react';
import { SaveFooter } from '../../components/SaveFooter';
import { useServerChange } from '../../lib/send-json';
import styles from '../rules/portal-forms.module.css';

/** An empty field keeps everything (null); the server checks the days and that photos do not outlive readings. */
const days = (form: FormData, name: keyof OrganizationRetention) => {
  const value = String(form.get(name) ?? '').trim();
  return value === '' ? null : Number(value);
};

/** How long ingest's daily retention run keeps the organization's photos and readings (admins). */
export function OrganizationRetentionForm({ initial }: { initial: OrganizationRetention }) {
  const t = useTranslations('admin.retention');
  const { busy, error, send } = useServerChange();
  const [saved, setSaved] = useState(false);

  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    const form = new FormData(event.currentTarget);
    const body: OrganizationRetention = { photoRetentionDays: days(form, 'photoRetentionDays'), readingRetentionDays: days(form, 'readingRetentionDays') };
    if (await send('/api/organization/retention', { method: 'PUT', body })) setSaved(true);
  }

  const field = (name: keyof OrganizationRetention, label: string) => (
    <div className={styles.field}>
      <label htmlFor={`org-${name}`}>{label}</label>
      <input
        id={`org-${name}`}
        name={name}
        type="number"
        inputMode="numeric"
        min={1}
        max={3650}
        step={1}
        placeholder={t('forever')}
        defaultValue={initial[name] ?? ''}
        onChange={() => setSaved(false)}
      />
    </div>
  );

  return (
    <form className={styles.details} onSubmit={save} aria-labelledby="org-retention-title">
      <h3 id="org-retention-title" className={styles.name}>
        {t('title')}
      </h3>
      <p className={styles.meta}>{t('intro')}</p>
      {field('photoRetentionDays', t('photos'))}
      {field('readingRetentionDays', t('readings'))}
      <SaveFooter label={t('save')} busy={busy} saved={saved ? t('saved') : null} error={error} />
    </form>
  );
}
