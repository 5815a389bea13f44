'use client';

import { useLocale, useTranslations } from 'next-intl';
import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import { boxQuad, LayoutEditor, splitWindow, type EditableLayout } from '../../components/LayoutEditor';
import { formatPercent } from '../../lib/format';
import { sendJson, useFailureText } from '../../lib/send-json';
import { FirstReadingPanel } from './FirstReadingPanel';
import { counterLayout, startingLayout, type Snapshot } from './layout-draft';
import { useFirstReading } from './useFirstReading';
import styles from './onboard.module.css';

interface SavedMeter {
  meterId: string;
  deviceToken: string;
  alignmentMarks: number;
  /** Why the layout was saved without alignment marks. */
  note: string | null;
}

const readFileBase64 = (file: File) =>
  new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error(file.name));
    reader.readAsDataURL(file);
  });

const METER_KINDS = ['water', 'hot_water', 'heat', 'gas'] as const;

/**
 * Onboarding a meter in three steps on one page: the camera, a snapshot with the suggested counter
 * layout (boxes or four corners and dials, editable) and its first reading, refreshed as the layout
 * changes, then the meter's details and reading rules, and save.
 */
export function OnboardWizard({
  timeZones,
  defaultTimeZone,
  defaultMinConfidence,
}: {
  timeZones: string[];
  defaultTimeZone: string;
  /** The platform's review threshold (DEFAULT_MIN_CONFIDENCE), the field's starting value. */
  defaultMinConfidence: number;
}) {
  const t = useTranslations('onboard');
  const locale = useLocale();
  const [mode, setMode] = useState<'pull' | 'push'>('pull');
  const [snapshotUrl, setSnapshotUrl] = useState('');
  const [authUser, setAuthUser] = useState('');
  const [authPassword, setAuthPassword] = useState('');
  const [interval, setIntervalSec] = useState(60);
  // an ESP32 CameraWebServer's LED: lit for the first snapshot as for every pull after it ('' : none)
  const [flash, setFlash] = useState('');
  const flashIntensity = flash === '' ? undefined : Number(flash);
  const [snapshot, setSnapshot] = useState<Snapshot | null>(null);
  const [layout, setLayout] = useState<EditableLayout | null>(null);
  const [details, setDetails] = useState({
    name: '',
    location: '',
    group: '',
    kind: 'water',
    unit: 'm3',
    decimals: 3,
    timeZone: defaultTimeZone,
    maxFlowPerHour: '',
    allowNegative: false,
    minConfidence: defaultMinConfidence,
  });
  const [busy, setBusy] = useState<'snapshot' | 'save' | null>(null);
  const failureText = useFailureText();
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<SavedMeter | null>(null);

  const basicAuth = authUser ? { user: authUser, password: authPassword } : undefined;
  const readingRules = {
    allowNegative: details.allowNegative,
    minConfidence: details.minConfidence,
    ...(details.maxFlowPerHour ? { maxFlowPerHour: Number(details.maxFlowPerHour) } : {}),
  };
  const firstReading = useFirstReading(
    snapshot && layout
      ? { image: snapshot.image, layout: counterLayout(layout, snapshot), decimals: details.decimals, readingRules }
      : null,
  );

  const run = async <T,>(step: NonNullable<typeof busy>, fn: () => Promise<T>): Promise<T | undefined> => {
    setBusy(step);
    setError(null);
    try {
      return await fn();
    } catch (e) {
      setError(failureText(e));
      return undefined;
    } finally {
      setBusy(null);
    }
  };

  const applySnapshot = (s: Snapshot) => {
    setSnapshot(s);
    setLayout(startingLayout(s));
  };

  const takeSnapshot = async (e: FormEvent) => {
    e.preventDefault();
    const s = await run('snapshot', () =>
      sendJson<Snapshot>('/api/onboard/snapshot', { body: { snapshotUrl, basicAuth, flashIntensity } }),
    );
    if (s) applySnapshot(s);
  };

  const uploadPhoto = async (file: File | undefined) => {
    if (!file) return;
    const s = await run('snapshot', async () =>
      sendJson<Snapshot>('/api/onboard/snapshot', { body: { image: await readFileBase64(file) } }),
    );
    if (s) applySnapshot(s);
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!snapshot || !layout) {
      setError(t('snapshotFirst'));
      return;
    }
    const result = await run('save', () =>
      sendJson<SavedMeter>('/api/onboard', {
        body: {
          name: details.name,
          location: details.location,
          group: details.group,
          kind: details.kind,
          unit: details.unit,
          decimals: details.decimals,
          timeZone: details.timeZone,
          readingRules,
          layout: counterLayout(layout, snapshot),
          // The alignment marks are cut from this photo around the final boxes.
          image: snapshot.image,
          camera:
            mode === 'pull'
              ? { mode, snapshotUrl, basicAuth, pullIntervalSec: interval, flashIntensity }
              : { mode: 'push' as const },
        },
      }),
    );
    if (result) setSaved(result);
  };

  const field = <K extends keyof typeof details>(key: K, value: (typeof details)[K]) => {
    setDetails((d) => ({ ...d, [key]: value }));
  };

  if (saved) {
    return (
      <section className={styles.card} aria-labelledby="saved-title" role="status">
        <h2 id="saved-title">{t('saved.title', { name: details.name })}</h2>
        {mode === 'pull' ? (
          <p>{t('saved.pull', { seconds: interval })}</p>
        ) : (
          <>
            <p>{t('saved.push')}</p>
            <p>
              <code className={styles.token} data-testid="device-token">
                {saved.deviceToken}
              </code>
            </p>
            <p className="muted">
              {t.rich('saved.howToPost', {
                path: () => <code>/v1/meters/{saved.meterId}/captures</code>,
                auth: () => <code>Authorization: Bearer &lt;token&gt;</code>,
              })}
            </p>
          </>
        )}
        {saved.note ? (
          <p className={styles.error} role="alert">
            {saved.note}
          </p>
        ) : null}
        <p>
          <Link href={`/meters/${saved.meterId}`}>{t('saved.open')}</Link>
        </p>
      </section>
    );
  }

  return (
    <div className={styles.steps}>
      {error ? (
        <p className={styles.error} role="alert">
          {error}
        </p>
      ) : null}

      <section className={styles.card} aria-labelledby="camera-title">
        <h2 id="camera-title">{t('camera.title')}</h2>
        <div role="radiogroup" aria-label={t('camera.modeLabel')} className={styles.choice}>
          <label>
            <input type="radio" name="mode" checked={mode === 'pull'} onChange={() => setMode('pull')} />{' '}
            {t('camera.pull')}
          </label>
          <label>
            <input type="radio" name="mode" checked={mode === 'push'} onChange={() => setMode('push')} />{' '}
            {t('camera.push')}
          </label>
        </div>
        {mode === 'pull' ? (
          <form onSubmit={takeSnapshot} className={styles.grid}>
            <label className={styles.wide}>
              <span>{t('camera.url')}</span>
              <input
                type="url"
                required
                value={snapshotUrl}
                placeholder="http://192.168.1.20/capture"
                onChange={(e) => setSnapshotUrl(e.target.value)}
              />
            </label>
            <label>
              <span>{t('camera.user')}</span>
              <input value={authUser} autoComplete="off" onChange={(e) => setAuthUser(e.target.value)} />
            </label>
            <label>
              <span>{t('camera.password')}</span>
              <input
                type="password"
                value={authPassword}
                autoComplete="new-password"
                onChange={(e) => setAuthPassword(e.target.value)}
              />
            </label>
            <label>
              <span>{t('camera.interval')}</span>
              <input
                type="number"
                min={5}
                max={86400}
                value={interval}
                onChange={(e) => setIntervalSec(Number(e.target.value))}
              />
            </label>
            <label>
              <span>{t('camera.flashIntensity')}</span>
              <input type="number" min={1} max={255} value={flash} onChange={(e) => setFlash(e.target.value)} />
            </label>
            <div className={styles.actions}>
              <button type="submit" disabled={busy !== null}>
                {busy === 'snapshot' ? t('camera.taking') : t('camera.take')}
              </button>
            </div>
          </form>
        ) : (
          <div className={styles.grid}>
            <label className={styles.wide}>
              <span>{t('camera.upload')}</span>
              <input
                type="file"
                accept="image/jpeg,image/png"
                onChange={(e) => void uploadPhoto(e.target.files?.[0])}
              />
            </label>
            <p className="muted">{t('camera.tokenLater')}</p>
          </div>
        )}
      </section>

      {snapshot && layout ? (
        <section className={styles.card} aria-labelledby="layout-title">
          <h2 id="layout-title">{t('layout.title')}</h2>
          <p className="muted" data-testid="suggestion">
            {snapshot.suggestion
              ? t(snapshot.suggestion.layout.windowQuad ? 'layout.suggestedTurned' : 'layout.suggested', {
                  confidence: formatPercent(snapshot.suggestion.confidence, locale),
                  digits: snapshot.suggestion.layout.digits.length,
                  angle: Math.round(snapshot.suggestion.angleDeg),
                })
              : t('layout.notFound')}{' '}
            {t('layout.howToEdit')}
          </p>
          <LayoutEditor
            image={`data:image/jpeg;base64,${snapshot.image}`}
            width={snapshot.width}
            height={snapshot.height}
            layout={layout}
            onChange={setLayout}
          />
          <div className={styles.inline}>
            <label>
              <span>{t('layout.drums')}</span>
              <input
                type="number"
                min={1}
                max={12}
                value={layout.digits.length}
                onChange={(e) => {
                  const n = Math.min(12, Math.max(1, Number(e.target.value) || 1));
                  setLayout({ ...layout, digits: splitWindow(layout.window, n) });
                }}
              />
            </label>
            <button
              type="button"
              disabled={!!layout.quad}
              onClick={() =>
                setLayout({ ...layout, digits: splitWindow(layout.window, layout.digits.length) })
              }
            >
              {t('layout.split')}
            </button>
            <label className={styles.check}>
              <input
                type="checkbox"
                checked={!!layout.quad}
                // dials are read in the counter's orientation: only a quad has one
                onChange={(e) =>
                  setLayout({
                    ...layout,
                    quad: e.target.checked ? boxQuad(layout.window) : undefined,
                    dials: undefined,
                  })
                }
              />
              <span>{t('layout.turned')}</span>
            </label>
          </div>
          <FirstReadingPanel state={firstReading} decimals={details.decimals} unit={details.unit} />
        </section>
      ) : null}

      {snapshot && layout ? (
        <form className={styles.card} aria-labelledby="details-title" onSubmit={save}>
          <h2 id="details-title">{t('details.title')}</h2>
          <div className={styles.grid}>
            <label>
              <span>{t('details.name')}</span>
              <input required value={details.name} onChange={(e) => field('name', e.target.value)} />
            </label>
            <label>
              <span>{t('details.location')}</span>
              <input value={details.location} onChange={(e) => field('location', e.target.value)} />
            </label>
            <label>
              <span>{t('details.group')}</span>
              <input value={details.group} onChange={(e) => field('group', e.target.value)} />
            </label>
            <label>
              <span>{t('details.kind')}</span>
              <select value={details.kind} onChange={(e) => field('kind', e.target.value)}>
                {METER_KINDS.map((kind) => (
                  <option key={kind} value={kind}>
                    {t(`details.kinds.${kind}`)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              <span>{t('details.unit')}</span>
              <input required value={details.unit} onChange={(e) => field('unit', e.target.value)} />
            </label>
            <label>
              <span>{t('details.decimals')}</span>
              <input
                type="number"
                min={0}
                max={layout.digits.length}
                value={details.decimals}
                onChange={(e) => field('decimals', Number(e.target.value))}
              />
            </label>
            <label>
              <span>{t('details.timeZone')}</span>
              <input
                list="time-zones"
                value={details.timeZone}
                onChange={(e) => field('timeZone', e.target.value)}
              />
              <datalist id="time-zones">
                {timeZones.map((tz) => (
                  <option key={tz} value={tz} />
                ))}
              </datalist>
            </label>
            <label>
              <span>{t('details.maxFlow')}</span>
              <input
                type="number"
                min={0}
                step="any"
                value={details.maxFlowPerHour}
                onChange={(e) => field('maxFlowPerHour', e.target.value)}
              />
            </label>
            <label>
              <span>{t('details.minConfidence')}</span>
              <input
                type="number"
                min={0}
                max={1}
                step={0.05}
                value={details.minConfidence}
                onChange={(e) => field('minConfidence', Number(e.target.value))}
              />
            </label>
            <label className={styles.check}>
              <input
                type="checkbox"
                checked={details.allowNegative}
                onChange={(e) => field('allowNegative', e.target.checked)}
              />
              <span>{t('details.allowNegative')}</span>
            </label>
          </div>

          <div className={styles.actions}>
            <button type="submit" className={styles.primary} disabled={busy !== null}>
              {busy === 'save' ? t('details.saving') : t('details.save')}
            </button>
          </div>
        </form>
      ) : null}
    </div>
  );
}
