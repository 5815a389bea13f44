'use client';

import { useLocale, useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { LOCALES } from '../i18n/locales';
import { sendJson } from '../lib/send-json';
import styles from './locale-switcher.module.css';

/** The header's language switch: stores the choice (profile and cookie, see /api/locale) and re-renders. */
export function LocaleSwitcher() {
  const t = useTranslations('locale');
  const locale = useLocale();
  const router = useRouter();
  const [failed, setFailed] = useState(false);
  const [pending, startTransition] = useTransition();

  async function choose(next: string) {
    setFailed(false);
    try {
      await sendJson('/api/locale', { method: 'PUT', body: { locale: next } });
    } catch {
      setFailed(true);
      return;
    }
    startTransition(() => router.refresh());
  }

  return (
    <label className={styles.switcher}>
      <span className="visually-hidden">{t('label')}</span>
      <select
        value={locale}
        disabled={pending}
        onChange={(e) => void choose(e.target.value)}
        aria-invalid={failed || undefined}
        title={failed ? t('failed') : undefined}
        data-testid="locale-switcher"
      >
        {LOCALES.map((l) => (
          <option key={l} value={l} lang={l}>
            {t(`names.${l}`)}
          </option>
        ))}
      </select>
    </label>
  );
}
