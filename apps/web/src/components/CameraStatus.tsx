import { useTranslations } from 'next-intl';
import type { CameraState } from '../lib/camera-health';
import { RelativeTime } from './RelativeTime';
import styles from './ui.module.css';

export function CameraStatus({ camera }: { camera: CameraState }) {
  const t = useTranslations('camera');
  if (camera.state === 'none') {
    return (
      <span className={`${styles.camera} ${styles.cameraNone}`}>
        <span className={styles.cameraLine}>
          <span className={styles.dot} aria-hidden="true" />
          {t('none')}
        </span>
      </span>
    );
  }
  if (camera.state === 'error') {
    return (
      <span className={`${styles.camera} ${styles.cameraError}`}>
        <span className={styles.cameraLine}>
          <span className={styles.dot} aria-hidden="true" />
          {t('error')}
        </span>
        <span className={styles.cameraDetail}>
          {camera.devices > 1 ? `${camera.device}: ` : ''}
          {camera.message}
          {camera.at ? (
            <>
              {' · '}
              <RelativeTime date={camera.at} />
            </>
          ) : null}
        </span>
      </span>
    );
  }
  const stale = camera.state === 'stale';
  return (
    <span className={`${styles.camera} ${stale ? styles.cameraStale : styles.cameraOk}`}>
      <span className={styles.cameraLine}>
        <span className={styles.dot} aria-hidden="true" />
        {stale ? t('stale') : t('ok', { count: camera.devices })}
      </span>
      <span className={styles.cameraDetail}>
        {camera.lastSeenAt
          ? t.rich('lastFrame', { time: () => <RelativeTime date={camera.lastSeenAt!} /> })
          : t('noFrame')}
      </span>
    </span>
  );
}
