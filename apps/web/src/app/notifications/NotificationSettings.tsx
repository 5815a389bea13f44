'use client';

import { useTranslations } from 'next-intl';
import { useEffect, useState, type FormEvent } from 'react';
import type { Preferences } from '@metertwin/alarms';
import { SaveFooter } from '../../components/SaveFooter';
import ui from '../../components/ui.module.css';
import type { FirebaseWebSettings } from '../../lib/firebase-web-settings';
import { sendJson, useFailureText, useServerChange } from '../../lib/send-json';
import styles from './notifications.module.css';

const SEVERITIES = ['critical', 'major', 'minor', 'warning'] as const;
const CHANNELS = ['fcm', 'webpush'] as const;

/** base64url VAPID key → the bytes PushManager.subscribe wants. */
function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const base64 = (base64url + '='.repeat((4 - (base64url.length % 4)) % 4))
    .replace(/-/g, '+')
    .replace(/_/g, '/');
  const raw = atob(base64);
  const bytes = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

type DeviceState = 'unsupported' | 'off' | 'on' | 'blocked' | 'checking';

/** Where this browser keeps its FCM token, to unregister it from the server when turned off. */
const FCM_TOKEN_KEY = 'metertwin.fcmToken';

/**
 * This device's alarm notifications and the user's preferences. With Firebase configured (`fcm`) the
 * browser registers with Firebase Cloud Messaging and its token goes to /api/me/push-devices, so notify
 * delivers through FCM; otherwise it subscribes to standard web push with the server's VAPID key.
 */
export function NotificationSettings({
  publicKey,
  fcm,
  initial,
}: {
  publicKey: string | null;
  fcm: FirebaseWebSettings | null;
  initial: Preferences;
}) {
  const t = useTranslations('notifications');
  const tSeverity = useTranslations('severity');
  const failureText = useFailureText();
  const [device, setDevice] = useState<DeviceState>('checking');
  const [deviceError, setDeviceError] = useState<string | null>(null);
  const [prefs, setPrefs] = useState(initial);
  const [quiet, setQuiet] = useState(initial.quietStart !== null);
  const [saved, setSaved] = useState<string | null>(null);
  // The form keeps what the server stored: no reload of the page.
  const { busy, error, send } = useServerChange({ refresh: false });

  useEffect(() => {
    if (!('serviceWorker' in navigator) || !('PushManager' in window) || !(publicKey || fcm)) {
      setDevice('unsupported');
      return;
    }
    if (Notification.permission === 'denied') {
      setDevice('blocked');
      return;
    }
    void navigator.serviceWorker.ready
      .then((reg) => reg.pushManager.getSubscription())
      .then((sub) => setDevice(sub ? 'on' : 'off'));
  }, [publicKey, fcm]);

  async function turnOn() {
    setDeviceError(null);
    try {
      if ((await Notification.requestPermission()) !== 'granted') {
        setDevice('blocked');
        return;
      }
      const reg = await navigator.serviceWorker.ready;
      if (fcm) {
        const { fcmToken } = await import('../../lib/fcm-registration');
        const token = await fcmToken(fcm, reg);
        await sendJson('/api/me/push-devices', { body: { token, platform: 'web' } });
        localStorage.setItem(FCM_TOKEN_KEY, token);
      } else {
        const sub = await reg.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: keyBytes(publicKey!),
        });
        await sendJson('/api/me/web-push', { body: sub.toJSON() });
      }
      setDevice('on');
    } catch (e) {
      setDeviceError(t('device.turnOnFailed', { reason: failureText(e) }));
    }
  }

  async function turnOff() {
    setDeviceError(null);
    const token = localStorage.getItem(FCM_TOKEN_KEY);
    if (fcm && token) {
      // a token the server no longer has (404: FCM reported it gone) is unregistered already
      await sendJson('/api/me/push-devices', { method: 'DELETE', body: { token } }).catch(() => undefined);
      const { dropFcmToken } = await import('../../lib/fcm-registration');
      await dropFcmToken(fcm);
      localStorage.removeItem(FCM_TOKEN_KEY);
      setDevice('off');
      return;
    }
    const reg = await navigator.serviceWorker.ready;
    const sub = await reg.pushManager.getSubscription();
    if (sub) {
      await sendJson('/api/me/web-push', { method: 'DELETE', body: { endpoint: sub.endpoint } });
      await sub.unsubscribe();
    }
    setDevice('off');
  }

  function toggle(severity: keyof Preferences['channels'], channel: 'fcm' | 'webpush', on: boolean) {
    setPrefs((p) => {
      const list = p.channels[severity].filter((c) => c !== channel);
      return { ...p, channels: { ...p.channels, [severity]: on ? [...list, channel] : list } };
    });
  }

  async function save(event: FormEvent) {
    event.preventDefault();
    setSaved(null);
    const body = quiet
      ? { ...prefs, quietStart: prefs.quietStart ?? '22:00', quietEnd: prefs.quietEnd ?? '07:00' }
      : { ...prefs, quietStart: null, quietEnd: null };
    const answer = await send<{ preferences?: Preferences }>('/api/me/preferences', { method: 'PUT', body });
    if (!answer) return;
    if (answer.preferences) setPrefs(answer.preferences);
    setSaved(t('saved'));
  }

  return (
    <>
      <section className={styles.card} aria-labelledby="device-title">
        <h2 id="device-title" className={styles.cardTitle}>
          {t('device.title')}
        </h2>
        {device === 'unsupported' ? (
          <p>{publicKey ? t('device.unsupported') : t('device.notConfigured')}</p>
        ) : device === 'blocked' ? (
          <p>{t('device.blocked')}</p>
        ) : (
          <p className={styles.row}>
            <span role="status">
              {device === 'on' ? t('device.on') : device === 'off' ? t('device.off') : ''}
            </span>
            {device === 'off' ? (
              <button type="button" className={styles.button} onClick={turnOn}>
                {t('device.turnOn')}
              </button>
            ) : device === 'on' ? (
              <button type="button" className={`${styles.button} ${ui.secondary}`} onClick={turnOff}>
                {t('device.turnOff')}
              </button>
            ) : null}
          </p>
        )}
        {deviceError ? (
          <p role="alert" className={ui.alert}>
            {deviceError}
          </p>
        ) : null}
      </section>

      <form className={styles.card} onSubmit={save} aria-labelledby="prefs-title">
        <h2 id="prefs-title" className={styles.cardTitle}>
          {t('prefs.title')}
        </h2>
        <table className={styles.table}>
          <thead>
            <tr>
              <th scope="col">{t('prefs.severity')}</th>
              {CHANNELS.map((id) => (
                <th scope="col" key={id}>
                  {t(`channel.${id}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {SEVERITIES.map((severity) => (
              <tr key={severity}>
                <th scope="row">{tSeverity(severity)}</th>
                {CHANNELS.map((channel) => (
                  <td key={channel}>
                    <input
                      type="checkbox"
                      aria-label={t('prefs.cell', {
                        severity: tSeverity(severity),
                        channel: t(`channel.${channel}`),
                      })}
                      checked={prefs.channels[severity].includes(channel)}
                      onChange={(e) => toggle(severity, channel, e.target.checked)}
                    />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>

        <fieldset className={styles.fieldset}>
          <legend>{t('prefs.quietHours')}</legend>
          <label className={styles.inline}>
            <input type="checkbox" checked={quiet} onChange={(e) => setQuiet(e.target.checked)} />{' '}
            {t('prefs.quietOnlyCritical')}
          </label>
          {quiet ? (
            <div className={styles.grid}>
              <label>
                {t('prefs.from')}
                <input
                  type="time"
                  value={prefs.quietStart ?? '22:00'}
                  onChange={(e) => setPrefs({ ...prefs, quietStart: e.target.value })}
                />
              </label>
              <label>
                {t('prefs.to')}
                <input
                  type="time"
                  value={prefs.quietEnd ?? '07:00'}
                  onChange={(e) => setPrefs({ ...prefs, quietEnd: e.target.value })}
                />
              </label>
            </div>
          ) : null}
        </fieldset>
        <div className={styles.grid}>
          <label>
            {t('prefs.timeZone')}
            <input
              value={prefs.timeZone}
              onChange={(e) => setPrefs({ ...prefs, timeZone: e.target.value })}
              autoComplete="off"
              spellCheck={false}
            />
          </label>
          <label>
            {t('prefs.digest')}
            <input
              type="number"
              min={0}
              max={1440}
              value={prefs.digestMinutes}
              onChange={(e) => setPrefs({ ...prefs, digestMinutes: Number(e.target.value) })}
            />
          </label>
        </div>
        <SaveFooter label={t('prefs.save')} busy={busy} saved={saved} error={error} />
      </form>
    </>
  );
}
