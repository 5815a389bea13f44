import { useTranslations } from 'next-intl';
import Link from 'next/link';

export default function NotFound() {
  const t = useTranslations('errors');
  return (
    <section style={{ maxWidth: 560 }}>
      <h1 style={{ fontSize: 26, marginBottom: 8 }}>{t('notFoundTitle')}</h1>
      <p>{t('notFoundBody')}</p>
      <p>
        <Link href="/">{t('backToMeters')}</Link>
      </p>
    </section>
  );
}
