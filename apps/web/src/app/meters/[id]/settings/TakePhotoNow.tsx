'use client';

import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { useServerChange } from '../../../../lib/send-json';
import form from '../../../onboard/onboard.module.css';

/** Asks ingest for a photo from this camera now (pulled, or asked over MQTT); it arrives on the meter's page like a scheduled one. */
export function TakePhotoNow({ meterId, deviceId }: { meterId: string; deviceId: string }) {
  const t = useTranslations('meterSettings.connection');
  const { busy, error, send } = useServerChange({ refresh: false });
  const [requested, setRequested] = useState(false);

  async function takePhoto() {
    setRequested(false);
    setRequested((await send(`/api/meters/${meterId}/cameras/${deviceId}/snapshot`)) !== undefined);
  }

  return (
    <div className={form.actions}>
      <button type="button" onClick={takePhoto} disabled={busy}>
        {t('takePhoto')}
      </button>
      {requested ? <p role="status">{t('photoRequested')}</p> : null}
      {error ? <p role="alert">{error}</p> : null}
    </div>
  );
}
