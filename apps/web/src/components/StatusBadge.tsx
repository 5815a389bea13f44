import { STATUS_LABEL } from '../lib/format';
import styles from './ui.module.css';

export function StatusBadge({ status }: { status: string | null }) {
  if (!status) return <span className={`${styles.badge} ${styles.none}`}>No reading</span>;
  return (
    <span className={`${styles.badge} ${styles[status] ?? styles.none}`}>
      {STATUS_LABEL[status] ?? status}
    </span>
  );
}
