import { useTranslations } from 'next-intl';
import styles from './ui.module.css';

const STATUSES = ['accepted', 'corrected', 'needs_review', 'rejected'] as const;

export function StatusBadge({ status }: { status: string | null }) {
  const t = useTranslations('readingStatus');
  if (!status) return <span className={`${styles.badge} ${styles.none}`}>{t('none')}</span>;
  const known = (STATUSES as readonly string[]).includes(status);
  return (
    <span className={`${styles.badge} ${styles[status] ?? styles.none}`}>
      {known ? t(status as (typeof STATUSES)[number]) : status}
    </span>
  );
}
