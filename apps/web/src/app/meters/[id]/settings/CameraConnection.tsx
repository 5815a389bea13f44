import { useTranslations } from 'next-intl';
import { RelativeTime } from '../../../../components/RelativeTime';
import type { CameraSettings } from '../../../../lib/meter-settings';
import form from '../../../onboard/onboard.module.css';
import styles from './settings.module.css';
import { TakePhotoNow } from './TakePhotoNow';

/** What an AI-on-the-edge-device firmware reported with the last photo (Capture.deviceReading). */
interface DeviceReading {
  firmware?: string;
  value?: string | number | null;
  error?: string | null;
}

/**
 * How one camera reaches the platform (pulled, pushed over HTTP with its token, or over MQTT with its
 * own broker account), when it was last heard from, its last error, what its firmware reported with
 * the last photo, and "take a photo now" for a pulled camera.
 */
export function CameraConnection({ meterId, camera, now }: { meterId: string; camera: CameraSettings; now: Date }) {
  const t = useTranslations('meterSettings.connection');
  const paths = [
    camera.snapshotUrl ? t('pulled', { url: camera.snapshotUrl, seconds: camera.pullIntervalSec ?? 0 }) : null,
    camera.hasToken ? t('pushHttp') : null,
    camera.mqttUsername ? t('pushMqtt', { username: camera.mqttUsername }) : null,
  ].filter((p): p is string => p !== null);
  const firmware = (camera.lastCapture?.deviceReading ?? null) as DeviceReading | null;
  return (
    <section className={form.card} aria-labelledby={`connection-${camera.id}`}>
      <h2 id={`connection-${camera.id}`}>{t('title', { name: camera.name })}</h2>
      <dl className={styles.facts}>
        <dt>{t('path')}</dt>
        <dd>{paths.length ? paths.join(' · ') : t('noPath')}</dd>
        <dt>{t('lastContact')}</dt>
        <dd>{camera.lastSeenAt ? <RelativeTime date={camera.lastSeenAt} now={now} /> : t('never')}</dd>
        <dt>{t('lastPhoto')}</dt>
        <dd>
          {camera.lastCapture ? (
            <>
              <RelativeTime date={camera.lastCapture.receivedAt} now={now} /> · {t(`source.${camera.lastCapture.source}`)}
            </>
          ) : (
            t('never')
          )}
        </dd>
        {firmware ? (
          <>
            <dt>{t('firmware')}</dt>
            <dd>
              {firmware.error
                ? t('firmwareError', { firmware: firmware.firmware ?? '', error: firmware.error })
                : t('firmwareReading', { firmware: firmware.firmware ?? '', value: String(firmware.value ?? '') })}
            </dd>
          </>
        ) : null}
        {camera.lastError ? (
          <>
            <dt>{t('lastError')}</dt>
            <dd className={styles.cameraError}>
              {camera.lastError}
              {camera.lastErrorAt ? (
                <>
                  {' · '}
                  <RelativeTime date={camera.lastErrorAt} now={now} />
                </>
              ) : null}
            </dd>
          </>
        ) : null}
      </dl>
      {/* a pulled camera is fetched; one with an MQTT account (the camera agent) is asked on its command topic */}
      {camera.snapshotUrl || camera.mqttUsername ? <TakePhotoNow meterId={meterId} deviceId={camera.id} /> : null}
    </section>
  );
}
