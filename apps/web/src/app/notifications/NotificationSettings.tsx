'use client';

import { useTranslations } from 'next-intl';
import { useEffect, useState, type FormEvent } from 'react';
import type { Preferences } from '@metertwin/alarms';
import ui from '../../components/ui.module.css';
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

export function NotificationSettings({
  publicKey,
  initial,
}: {
  publicKey: string | null;
  initial: Preferences;
}) {
  const t = useTranslations('notifications');
  const tSeverity = useTranslations('severity');
  const [device, setDevice] = useState<DeviceState>('checking');
  const [deviceError, setDeviceError] = useState<string | null>(null);
  const [prefs, setPrefs] = useState(initial);
  const [quiet, setQuiet] = useState(initial.quietStart !== null);
  const [saved, setSaved] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!('serviceWorker' in navigator) || !('PushManager' in window) || !publicKey) {
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
  }, [publicKey]);

  async function turnOn() {
    setDeviceError(null);
    try {
      if ((await Notification.requestPermission()) !== 'granted') {
        setDevice('blocked');
        return;
      }
      const reg = await navigator.serviceWorker.ready;
      const sub = await reg.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: keyBytes(publicKey!),
      });
      const res = await fetch('/api/me/web-push', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(sub.toJSON()),
      });
      if (!res.ok)
        throw new Error(
          ((await res.json().catch(() => ({}))) as { error?: string }).error ?? `HTTP ${res.status}`,
        );
      setDevice('on');
    } catch (e) {
      setDeviceError(t('device.turnOnFailed', { reason: (e as Error).message }));
    }
  }

  async function turnOff() {
    setDeviceError(null);
    const reg = await navigator.serviceWorker.ready;
    const sub = await reg.pushManager.getSubscription();
    if (sub) {
      await fetch('/api/me/web-push', {
        method: 'DELETE',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ endpoint: sub.endpoint }),
      });
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
    setError(null);
    const body = quiet
      ? { ...prefs, quietStart: prefs.quietStart ?? '22:00', quietEnd: prefs.quietEnd ?? '07:00' }
      : { ...prefs, quietStart: null, quietEnd: null };
    const res = await fetch('/api/me/preferences', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).catch(() => null);
    if (!res) return setError(t('unreachable'));
    const json = (await res.json().catch(() => ({}))) as { error?: string; preferences?: Preferences };
    if (!res.ok) return setError(json.error ?? t('serverStatus', { status: res.status }));
    if (json.preferences) setPrefs(json.preferences);
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
        {error ? (
          <p role="alert" className={ui.alert}>
            {error}
          </p>
        ) : null}
        <p className={styles.row}>
          <button type="submit" className={styles.button}>
            {t('prefs.save')}
          </button>
          <span role="status">{saved}</span>
        </p>
      </form>
    </>
  );
}
