'use client';

import { useTranslations } from 'next-intl';
import { useState, type FormEvent } from 'react';
import ui from '../../../../components/ui.module.css';
import type { CameraSettings } from '../../../../lib/meter-settings';
import { useServerChange } from '../../../../lib/send-json';
import form from '../../../onboard/onboard.module.css';

/** An empty field is null: a camera without a snapshot URL or interval is not pulled. */
const orNull = (text: string) => (text.trim() === '' ? null : text.trim());

/**
 * One camera's pull settings: snapshot URL, interval and timeout, its user and password, the ESP32
 * CameraWebServer's flash LED, and the AI-on-the-edge-device reading URL (POST /api/meters/:id/cameras/:deviceId; the URLs go through the outbound policy).
 */
export function CameraSettingsForm({ meterId, camera }: { meterId: string; camera: CameraSettings }) {
  const t = useTranslations('meterSettings.camera');
  const { busy, error, send } = useServerChange();
  const [snapshotUrl, setSnapshotUrl] = useState(camera.snapshotUrl ?? '');
  const [interval, setIntervalSec] = useState(camera.pullIntervalSec?.toString() ?? '');
  const [timeout, setTimeoutMs] = useState(String(camera.pullTimeoutMs));
  const [readingUrl, setReadingUrl] = useState(camera.readingUrl ?? '');
  const [flash, setFlash] = useState(camera.flashIntensity?.toString() ?? '');
  const [authUser, setAuthUser] = useState(camera.basicAuthUser ?? '');
  const [authPassword, setAuthPassword] = useState('');
  const [saved, setSaved] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setSaved(false);
    const body = {
      snapshotUrl: orNull(snapshotUrl),
      pullIntervalSec: orNull(interval) === null ? null : Number(interval),
      pullTimeoutMs: Number(timeout),
      readingUrl: orNull(readingUrl),
      flashIntensity: orNull(flash) === null ? null : Number(flash),
      // no user removes the credentials; an empty password keeps the stored one
      basicAuth: orNull(authUser) === null ? null : { user: authUser.trim(), ...(authPassword ? { password: authPassword } : {}) },
    };
    const accepted = (await send(`/api/meters/${meterId}/cameras/${camera.id}`, { body })) !== undefined;
    if (accepted) setAuthPassword('');
    setSaved(accepted);
  }

  return (
    <form className={form.card} aria-label={t('title', { name: camera.name })} onSubmit={submit}>
      <h2>{t('title', { name: camera.name })}</h2>
      <p className="muted">{t('help')}</p>
      <div className={form.grid}>
        <label className={form.wide}>
          <span>{t('snapshotUrl')}</span>
          <input type="url" value={snapshotUrl} placeholder={t('snapshotUrlExample')} onChange={(e) => setSnapshotUrl(e.target.value)} />
        </label>
        <label>
          <span>{t('pullIntervalSec')}</span>
          <input type="number" min={5} max={86400} value={interval} onChange={(e) => setIntervalSec(e.target.value)} />
        </label>
        <label>
          <span>{t('pullTimeoutMs')}</span>
          <input type="number" min={1000} max={60000} required value={timeout} onChange={(e) => setTimeoutMs(e.target.value)} />
        </label>
        <label>
          <span>{t('user')}</span>
          <input value={authUser} autoComplete="off" onChange={(e) => setAuthUser(e.target.value)} />
        </label>
        <label>
          <span>{t('password')}</span>
          <input
            type="password"
            value={authPassword}
            autoComplete="new-password"
            placeholder={camera.hasPassword ? t('passwordKept') : undefined}
            onChange={(e) => setAuthPassword(e.target.value)}
          />
        </label>
        <label>
          <span>{t('flashIntensity')}</span>
          <input type="number" min={1} max={255} value={flash} placeholder={t('flashOff')} onChange={(e) => setFlash(e.target.value)} />
        </label>
        <label className={form.wide}>
          <span>{t('readingUrl')}</span>
          <input type="url" value={readingUrl} placeholder={t('readingUrlExample')} onChange={(e) => setReadingUrl(e.target.value)} />
        </label>
      </div>
      <div className={form.actions}>
        <button type="submit" className={ui.button} disabled={busy}>
          {busy ? t('saving') : t('save')}
        </button>
      </div>
      {error ? <p role="alert" className={ui.alert}>{error}</p> : null}
      {saved ? <p role="status">{t('saved')}</p> : null}
    </form>
  );
}
