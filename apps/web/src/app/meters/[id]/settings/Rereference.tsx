'use client';

import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { boxQuad, LayoutEditor, splitWindow, type EditableLayout } from '../../../../components/LayoutEditor';
import ui from '../../../../components/ui.module.css';
import { useServerChange } from '../../../../lib/send-json';
import { FirstReadingPanel } from '../../../onboard/FirstReadingPanel';
import { counterLayout, startingLayout, type Snapshot } from '../../../onboard/layout-draft';
import form from '../../../onboard/onboard.module.css';
import { useFirstReading } from '../../../onboard/useFirstReading';
import styles from './settings.module.css';

/** The counter is the same one: the layout keeps its drum count whatever the suggestion found. */
function withDrums(layout: EditableLayout, drums: number): EditableLayout {
  return layout.digits.length === drums ? layout : { ...layout, digits: splitWindow(layout.window, drums) };
}

/**
 * The camera was moved: a new photo (a snapshot pulled now, or the latest one taken in), the layout
 * drawn on it in onboarding's editor with its first reading, then saved as the meter's new reference
 * (POST /api/meters/:id/reference): frames are registered to it from the next capture.
 */
export function Rereference({
  meterId,
  drums,
  decimals,
  unit,
  readingRules,
  canPull,
  hasPhotos,
}: {
  meterId: string;
  drums: number;
  decimals: number;
  unit: string;
  readingRules: unknown;
  canPull: boolean;
  hasPhotos: boolean;
}) {
  const t = useTranslations('meterSettings.reference');
  const tLayout = useTranslations('onboard.layout');
  const [snapshot, setSnapshot] = useState<Snapshot | null>(null);
  const [layout, setLayout] = useState<EditableLayout | null>(null);
  const photo = useServerChange({ refresh: false });
  // the page's server data is unchanged by a new reference: no reload (it would drop the editor's photo)
  const save = useServerChange({ refresh: false });
  const [saved, setSaved] = useState<{ alignmentMarks: number; note: string | null } | null>(null);
  const firstReading = useFirstReading(
    snapshot && layout ? { image: snapshot.image, layout: counterLayout(layout, snapshot), decimals, readingRules } : null,
  );

  async function takePhoto(source: 'camera' | 'latest') {
    setSaved(null);
    const s = await photo.send<Snapshot>(`/api/meters/${meterId}/reference/photo`, { body: { source } });
    if (!s) return;
    setSnapshot(s);
    setLayout(withDrums(startingLayout(s, drums), drums));
  }

  async function saveReference() {
    if (!snapshot || !layout) return;
    setSaved(null);
    const body = { image: snapshot.image, layout: counterLayout(layout, snapshot) };
    setSaved((await save.send<{ alignmentMarks: number; note: string | null }>(`/api/meters/${meterId}/reference`, { body })) ?? null);
  }

  return (
    <section className={form.card} aria-labelledby="reference-title">
      <h2 id="reference-title">{t('title')}</h2>
      <p className="muted">{t('help')}</p>
      <div className={styles.photoChoice}>
        {canPull ? (
          <button type="button" className={`${ui.button} ${ui.secondary}`} disabled={photo.busy} onClick={() => takePhoto('camera')}>
            {t('takeSnapshot')}
          </button>
        ) : null}
        {hasPhotos ? (
          <button type="button" className={`${ui.button} ${ui.secondary}`} disabled={photo.busy} onClick={() => takePhoto('latest')}>
            {t('useLatest')}
          </button>
        ) : null}
        {photo.busy ? <span className="muted">{t('fetching')}</span> : null}
      </div>
      {!canPull && !hasPhotos ? <p className="muted">{t('noPhoto')}</p> : null}
      {photo.error ? <p role="alert" className={ui.alert}>{photo.error}</p> : null}
      {snapshot && layout ? (
        <>
          <p className="muted">{tLayout('howToEdit')}</p>
          <LayoutEditor
            image={`data:image/jpeg;base64,${snapshot.image}`}
            width={snapshot.width}
            height={snapshot.height}
            layout={layout}
            onChange={(l) => setLayout(withDrums(l, drums))}
          />
          <div className={form.inline}>
            <button type="button" disabled={!!layout.quad} onClick={() => setLayout({ ...layout, digits: splitWindow(layout.window, drums) })}>
              {tLayout('split')}
            </button>
            <label className={form.check}>
              <input
                type="checkbox"
                checked={!!layout.quad}
                onChange={(e) => setLayout({ ...layout, quad: e.target.checked ? boxQuad(layout.window) : undefined, dials: undefined })}
              />
              <span>{tLayout('turned')}</span>
            </label>
          </div>
          <FirstReadingPanel state={firstReading} decimals={decimals} unit={unit} />
          <div className={form.actions}>
            {/* saved only once its first reading has been seen with the layout as it is */}
            <button type="button" className={ui.button} disabled={save.busy || firstReading.pending || !firstReading.reading} onClick={saveReference}>
              {t('save')}
            </button>
          </div>
          {save.error ? <p role="alert" className={ui.alert}>{save.error}</p> : null}
          {saved ? <p role="status">{saved.note ? t('savedWithoutMarks', { note: saved.note }) : t('saved', { marks: saved.alignmentMarks })}</p> : null}
        </>
      ) : null}
    </section>
  );
}
