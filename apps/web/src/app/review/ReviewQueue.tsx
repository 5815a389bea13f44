'use client';

import { useLocale, useTranslations } from 'next-intl';
import Link from 'next/link';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { PhotoOverlay } from '../../components/PhotoOverlay';
import { StatusBadge } from '../../components/StatusBadge';
import ui from '../../components/ui.module.css';
import { formatAbsolute, formatPercent, formatUnit } from '../../lib/format';
import type { ReviewItem } from '../../lib/review-queue';
import { useServerChange } from '../../lib/send-json';
import styles from './review.module.css';

/**
 * The queue, one card per reading. The first card's value field has the focus: Enter confirms the
 * value as read, or saves what was typed instead; the next card's field takes the focus.
 */
export function ReviewQueue({ items: initial, canReview }: { items: ReviewItem[]; canReview: boolean }) {
  const t = useTranslations('review');
  const [items, setItems] = useState(initial);
  const [announcement, setAnnouncement] = useState('');
  const inputs = useRef(new Map<string, HTMLInputElement>());
  const [focusId, setFocusId] = useState<string | null>(initial[0]?.readingId ?? null);

  useEffect(() => {
    if (focusId) inputs.current.get(focusId)?.focus();
  }, [focusId, items]);

  function done(item: ReviewItem, message: string) {
    const index = items.findIndex((i) => i.readingId === item.readingId);
    const rest = items.filter((i) => i.readingId !== item.readingId);
    setItems(rest);
    setFocusId(rest[Math.min(index, rest.length - 1)]?.readingId ?? null);
    setAnnouncement(message);
  }

  return (
    <>
      <p role="status" aria-live="polite" className={styles.announcement}>
        {announcement}
      </p>
      {!canReview ? (
        <p className={ui.panel}>{t('viewerOnly')}</p>
      ) : null}
      {items.length === 0 ? (
        <p className={ui.panel}>{t('allDone')}</p>
      ) : (
        <ol className={styles.list}>
          {items.map((item) => (
            <li key={item.readingId} className={styles.card} aria-labelledby={`meter-${item.readingId}`}>
              <ReviewCard
                item={item}
                canReview={canReview}
                inputRef={(el) => {
                  if (el) inputs.current.set(item.readingId, el);
                  else inputs.current.delete(item.readingId);
                }}
                onDone={(message) => done(item, message)}
              />
            </li>
          ))}
        </ol>
      )}
    </>
  );
}

function ReviewCard({
  item,
  canReview,
  inputRef,
  onDone,
}: {
  item: ReviewItem;
  canReview: boolean;
  inputRef: (el: HTMLInputElement | null) => void;
  onDone: (message: string) => void;
}) {
  const t = useTranslations('review');
  const locale = useLocale();
  const [typed, setTyped] = useState(item.value ?? '');
  // The queue drops the card itself: no reload of the page under the operator's typing.
  const { busy, error, send } = useServerChange({ refresh: false });
  const unit = formatUnit(item.meter.unit);
  const unchanged = item.value !== null && typed.trim() === item.value;
  const takenAt = new Date(item.takenAt);
  const fieldId = `value-${item.readingId}`;
  const hintId = `hint-${item.readingId}`;
  const errorId = `error-${item.readingId}`;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    const body = unchanged ? { action: 'confirm' } : { action: 'correct', value: typed };
    const answer = await send<{ value?: string; status?: string }>(`/api/readings/${item.readingId}/review`, { body });
    if (!answer) return;
    onDone(t(answer.status === 'corrected' ? 'corrected' : 'confirmed', { name: item.meter.name, value: answer.value ?? '', unit }));
  }

  return (
    <>
      <div className={styles.cardHead}>
        <h2 id={`meter-${item.readingId}`} className={styles.meterName}>
          <Link href={`/meters/${item.meter.id}`}>{item.meter.name}</Link>
        </h2>
        <StatusBadge status={item.status} />
      </div>
      <p className={styles.meta}>
        {item.meter.location ? `${item.meter.location} · ` : ''}
        <time dateTime={item.takenAt}>{formatAbsolute(takenAt, locale)}</time> ·{' '}
        {t('confidence', { percent: formatPercent(item.confidence, locale) })}
        {item.reason ? ` · ${item.reason}` : ''}
      </p>
      <div className={styles.body}>
        <div className={styles.photo}>
          <PhotoOverlay
            photo={{ ...item.photo, takenAt }}
            alt={t('photoAlt', { name: item.meter.name, time: formatAbsolute(takenAt, locale) })}
          />
        </div>
        <div className={styles.decide}>
          <p className={styles.read}>
            {t.rich('readAs', {
              value: () => <span className={styles.value}>{item.value ?? t('unreadable')}</span>,
            })}
            {item.value ? ` ${unit}` : ''}
          </p>
          {canReview ? (
            <form onSubmit={submit} className={styles.form}>
              <label htmlFor={fieldId}>{t('valueLabel', { unit })}</label>
              <input
                id={fieldId}
                ref={inputRef}
                className={styles.input}
                value={typed}
                onChange={(e) => setTyped(e.target.value)}
                inputMode="decimal"
                autoComplete="off"
                spellCheck={false}
                aria-describedby={error ? `${hintId} ${errorId}` : hintId}
                aria-invalid={error ? true : undefined}
              />
              <p id={hintId} className={styles.hint}>
                {t('hint', { digits: item.meter.digits, decimals: item.meter.decimals })}
              </p>
              {error ? (
                <p id={errorId} role="alert" className={styles.error}>
                  {error}
                </p>
              ) : null}
              <button type="submit" className={styles.button} disabled={busy || typed.trim() === ''}>
                {unchanged ? t('confirm') : t('saveCorrection')}
              </button>
            </form>
          ) : null}
        </div>
      </div>
    </>
  );
}
