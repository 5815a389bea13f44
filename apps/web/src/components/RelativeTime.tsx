import { formatAbsolute, formatRelative } from '../lib/format';
import styles from './ui.module.css';

/** "5 minutes ago", with the exact UTC time on hover and for assistive technology. */
export function RelativeTime({ date, now }: { date: Date; now?: Date }) {
  const absolute = formatAbsolute(date);
  return (
    <time className={styles.time} dateTime={date.toISOString()} title={absolute}>
      {formatRelative(date, now)}
    </time>
  );
}
