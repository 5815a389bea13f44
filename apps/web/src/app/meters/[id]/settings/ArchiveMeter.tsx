'use client';

import { useTranslations } from 'next-intl';
import ui from '../../../../components/ui.module.css';
import { useServerChange } from '../../../../lib/send-json';
import form from '../../../onboard/onboard.module.css';

/** Archive (history kept, no more photos taken in) or put back in service (POST /api/meters/:id/archive). */
export function ArchiveMeter({ meterId, archived }: { meterId: string; archived: boolean }) {
  const t = useTranslations('meterSettings.archive');
  const { busy, error, send } = useServerChange();
  return (
    <section className={form.card} aria-labelledby="archive-title">
      <h2 id="archive-title">{t('title')}</h2>
      <p className="muted">{archived ? t('archivedHelp') : t('help')}</p>
      <button
        type="button"
        className={`${ui.button} ${ui.secondary}`}
        disabled={busy}
        onClick={() => send(`/api/meters/${meterId}/archive`, { body: { archived: !archived } })}
      >
        {archived ? t('unarchive') : t('archive')}
      </button>
      {error ? <p role="alert" className={ui.alert}>{error}</p> : null}
    </section>
  );
}
