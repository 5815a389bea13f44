'use client';

import { useTranslations } from 'next-intl';

export default function ErrorPage({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  const t = useTranslations('errors');
  return (
    <section role="alert" style={{ maxWidth: 560 }}>
      <h1 style={{ fontSize: 26, marginBottom: 8 }}>{t('pageTitle')}</h1>
      <p>{t('pageBody')}</p>
      {error.digest ? (
        <p className="muted">{t.rich('reference', { code: () => <code>{error.digest}</code> })}</p>
      ) : null}
      <button
        type="button"
        onClick={reset}
        style={{ font: 'inherit', padding: '6px 14px', cursor: 'pointer' }}
      >
        {t('tryAgain')}
      </button>
    </section>
  );
}
