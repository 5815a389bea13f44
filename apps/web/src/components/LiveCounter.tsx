'use client';

import { useEffect, useState } from 'react';
import { subscribeLive } from '../lib/live-client';
import { Counter } from './Counter';

/**
 * The Counter of one meter, moved to each new reading as soon as its `reading.stored` event arrives
 * (the drums roll there), ahead of the page's own refresh. A newer server render wins again.
 */
export function LiveCounter({
  meterId,
  value,
  takenAt,
  ...shape
}: {
  meterId: string;
  value: string | null;
  /** When the server-rendered reading was taken (ISO): older live events are ignored. */
  takenAt: string | null;
  digits: number;
  decimals: number;
  unit?: string;
  size?: 'sm' | 'lg';
}) {
  const [live, setLive] = useState({ value, at: takenAt ?? '' });

  useEffect(() => setLive({ value, at: takenAt ?? '' }), [value, takenAt]);

  useEffect(
    () =>
      subscribeLive((event) => {
        if (event.type !== 'reading.stored' || event.meterId !== meterId) return;
        setLive((current) => (event.at >= current.at ? { value: event.value, at: event.at } : current));
      }),
    [meterId],
  );

  return <Counter value={live.value} {...shape} />;
}
