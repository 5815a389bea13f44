'use client';

import { useLocale, useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { intlLocale } from '../i18n/locales';
import styles from './live.module.css';

type State = 'connecting' | 'live' | 'offline';

/**
 * Listens to /api/events and refreshes the server-rendered page when a new reading arrives
 * (for one meter with `meterId`, for the whole fleet without). Refreshes are coalesced, so a burst
 * of readings costs one re-render.
 */
export function LiveRefresh({
  meterId,
  events = ['reading.stored'],
  minIntervalMs = 300,
}: {
  meterId?: string;
  events?: string[];
  /** At most one refresh per interval: the fleet page hears every meter. */
  minIntervalMs?: number;
}) {
  const router = useRouter();
  const t = useTranslations('live');
  const locale = useLocale();
  const [state, setState] = useState<State>('connecting');
  const [lastUpdate, setLastUpdate] = useState<Date | null>(null);
  const eventKey = events.join(',');
  const refreshTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    let source: EventSource | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;
    let stopped = false;
    const url = meterId ? `/api/events?meterId=${encodeURIComponent(meterId)}` : '/api/events';

    let lastRefresh = 0;
    const onEvent = () => {
      setLastUpdate(new Date());
      if (refreshTimer.current) return;
      const wait = Math.max(300, lastRefresh + minIntervalMs - Date.now());
      refreshTimer.current = setTimeout(() => {
        refreshTimer.current = undefined;
        lastRefresh = Date.now();
        router.refresh();
      }, wait);
    };

    const connect = () => {
      if (stopped) return;
      setState('connecting');
      source = new EventSource(url);
      source.onopen = () => {
        attempt = 0;
        setState('live');
      };
      for (const type of eventKey.split(',')) source.addEventListener(type, onEvent);
      source.onerror = () => {
        // EventSource retries a dropped stream by itself, but gives up on an error status (503).
        if (source?.readyState === EventSource.CLOSED) {
          setState('offline');
          source.close();
          attempt += 1;
          retry = setTimeout(connect, Math.min(30_000, 2_000 * 2 ** Math.min(attempt, 4)));
        } else {
          setState('connecting');
        }
      };
    };
    connect();
    return () => {
      stopped = true;
      source?.close();
      if (retry) clearTimeout(retry);
      if (refreshTimer.current) clearTimeout(refreshTimer.current);
      refreshTimer.current = undefined;
    };
  }, [meterId, eventKey, minIntervalMs, router]);

  return (
    <span className={`${styles.indicator} ${styles[state]}`} role="status" aria-live="polite">
      <span className={styles.pulse} aria-hidden="true" />
      {t(state)}
      {state === 'live' && lastUpdate ? (
        <span className={styles.updated}>
          {' · '}
          {t('updated', {
            time: lastUpdate.toLocaleTimeString(intlLocale(locale), {
              hour: '2-digit',
              minute: '2-digit',
              second: '2-digit',
              hourCycle: 'h23',
            }),
          })}
        </span>
      ) : null}
    </span>
  );
}
