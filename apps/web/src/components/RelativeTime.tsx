import { useLocale, useTranslations } from 'next-intl';
import { formatAbsolute, formatRelative } from '../lib/format';
import styles from './ui.module.css';

/** "5 minutes ago", with the exact time (UTC, or `timeZone`) on hover and for assistive technology. */
export function RelativeTime({ date, now, timeZone }: { date: Date; now?: Date; timeZone?: string }) {
  const locale = useLocale();
  const t = useTranslations('time');
  return (
    <time
      className={styles.time}
      dateTime={date.toISOString()}
      title={formatAbsolute(date, locale, timeZone)}
    >
      {formatRelative(date, now ?? new Date(), locale) ?? t('justNow')}
    </time>
  );
}
