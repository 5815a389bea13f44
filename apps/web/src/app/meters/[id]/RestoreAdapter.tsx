'use client';

import ui from '../../../components/ui.module.css';
import { useServerChange } from '../../../lib/send-json';

/** Admin's button: put the meter back on its previous adapter (or the base model); the page reloads after. */
export function RestoreAdapter({ meterId, target }: { meterId: string; target: string }) {
  const { busy, error, send } = useServerChange();
  const restore = () => send(`/api/meters/${meterId}/adapter/restore`);

  return (
    <div>
      <button type="button" className={`${ui.button} ${ui.secondary}`} disabled={busy} onClick={restore}>
        Restore {target}
      </button>
      {error ? (
        <p role="alert" className={ui.alert}>
          {error}
        </p>
      ) : null}
    </div>
  );
}
