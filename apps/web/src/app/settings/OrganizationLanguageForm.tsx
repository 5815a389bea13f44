'use client';

import { useTranslations } from 'next-intl';
import { useState, type FormEvent } from 'react';
import { SaveFooter } from '../../components/SaveFooter';
import { useServerChange } from '../../lib/send-json';
import styles from '../rules/portal-forms.module.css';

const LANGUAGES = ['ko', 'en'] as const;

/** The organization's default language (admins): for users who chose none, their mails, new invitations. */
export function OrganizationLanguageForm({ initial }: { initial: string | null }) {
  const t = useTranslations('admin.language');
  const tLanguage = useTranslations('admin.users.languages');
  const { busy, error, send } = useServerChange();
  const [saved, setSaved] = useState(false);

  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    const value = String(new FormData(event.currentTarget).get('locale') ?? '');
    if (await send('/api/organization/language', { method: 'PUT', body: { locale: value || null } })) setSaved(true);
  }

  return (
    <form className={styles.details} onSubmit={save} aria-labelledby="org-language-title">
      <h3 id="org-language-title" className={styles.name}>
        {t('title')}
      </h3>
      <p className={styles.meta}>{t('intro')}</p>
      <div className={styles.field}>
        <label htmlFor="org-language">{t('field')}</label>
        <select id="org-language" name="locale" defaultValue={initial ?? ''} onChange={() => setSaved(false)}>
          <option value="">{t('browser')}</option>
          {LANGUAGES.map((language) => (
            <option key={language} value={language}>
              {tLanguage(language)}
            </option>
          ))}
        </select>
      </div>
      <SaveFooter label={t('save')} busy={busy} saved={saved ? t('saved') : null} error={error} />
    </form>
  );
}
