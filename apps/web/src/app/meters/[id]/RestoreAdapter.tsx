'use client';

import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import ui from '../../../components/ui.module.css';

/** Admin's button: put the meter back on its previous adapter (or the base model); the page reloads after. */
export function RestoreAdapter({ meterId, previousVersion }: { meterId: string; previousVersion: string | null }) {
  const t = useTranslations('twin.learning');
  const tError = useTranslations('errors');
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [, startTransition] = useTransition();

  async function restore() {
    setBusy(true);
    setError(null);
    try {
      const res = await fetch(`/api/meters/${meterId}/adapter/restore`, { method: 'POST' });
      const json = (await res.json().catch(() => ({}))) as { error?: string };
      if (!res.ok) setError(json.error ?? tError('status', { status: res.status }));
      startTransition(() => router.refresh());
    } catch {
      setError(tError('unreachable'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div>
      <button type="button" className={`${ui.button} ${ui.secondary}`} disabled={busy} onClick={restore}>
        {previousVersion ? t('restoreAdapter', { version: previousVersion }) : t('restoreBase')}
      </button>
      {error ? <p role="alert" className={ui.alert}>{error}</p> : null}
    </div>
  );
}
