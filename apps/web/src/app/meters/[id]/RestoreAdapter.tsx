'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import ui from '../../../components/ui.module.css';

/** Admin's button: put the meter back on its previous adapter (or the base model); the page reloads after. */
export function RestoreAdapter({ meterId, target }: { meterId: string; target: string }) {
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
      if (!res.ok) setError(json.error ?? `the server answered ${res.status}`);
      startTransition(() => router.refresh());
    } catch {
      setError('the portal cannot be reached; try again');
    } finally {
      setBusy(false);
    }
  }

  return (
    <div>
      <button type="button" className={`${ui.button} ${ui.secondary}`} disabled={busy} onClick={restore}>
        Restore {target}
      </button>
      {error ? <p role="alert" className={ui.alert}>{error}</p> : null}
    </div>
  );
}
