'use client';

import { useTranslations } from 'next-intl';
import ui from '../../../components/ui.module.css';
import { useServerChange } from '../../../lib/send-json';

/** Admin's button: put the meter back on its previous adapter (or the base model); the page reloads after. */
export function RestoreAdapter({
  meterId,
  previousVersion,
}: {
  meterId: string;
  previousVersion: string | null;
}) {
  const t = useTranslations('twin.learning');
  const { busy, error, send } = useServerChange();
  const restore = () => send(`/api/meters/${meterId}/adapter/restore`);

  return (
    <div>
      <button type="button" className={`${ui.button} ${ui.secondary}`} disabled={busy} onClick={restore}>
        {previousVersion ? t('restoreAdapter', { version: previousVersion }) : t('restoreBase')}
      </button>
      {error ? (
        <p role="alert" className={ui.alert}>
          {error}
        </p>
      ) : null}
    </div>
  );
}
