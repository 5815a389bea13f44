'use client';

import { useEffect, useRef, useState } from 'react';
import type { FirstReading } from '../../lib/onboard';
import { sendJson, useFailureText } from '../../lib/send-json';

// The answer of /api/onboard/preview is typed once, where it is made (type imports: nothing server-side reaches the browser).
export type { FirstReading, RectifiedStrip } from '../../lib/onboard';

export interface PreviewRequest {
  image: string;
  layout: unknown;
  decimals: number;
  readingRules: unknown;
}
export interface FirstReadingState {
  reading: FirstReading | null;
  error: string | null;
  pending: boolean;
  /** Reads again at once (the debounce is for edits, not for a button). */
  refresh: () => void;
}

/** Edits come in bursts (a drag, typing a number): the photo is read once they pause this long. */
const DEBOUNCE_MS = 450;

/**
 * The first reading of the layout being edited, asked again whenever the request changes: debounced,
 * and an answer to an older request is dropped (its fetch is aborted).
 */
export function useFirstReading(request: PreviewRequest | null): FirstReadingState {
  const [reading, setReading] = useState<FirstReading | null>(null);
  const failureText = useFailureText();
  const [failure, setFailure] = useState<unknown>(null);
  const [pending, setPending] = useState(false);
  const [asked, setAsked] = useState(0);
  const immediate = useRef(false);
  const image = request?.image ?? null;
  const body = request ? JSON.stringify({ ...request, image: undefined }) : null;

  useEffect(() => {
    if (image === null || body === null) return;
    const abort = new AbortController();
    setPending(true);
    const delay = immediate.current ? 0 : DEBOUNCE_MS;
    immediate.current = false;
    const timer = setTimeout(() => {
      sendJson<FirstReading>('/api/onboard/preview', {
        body: { ...JSON.parse(body), image },
        signal: abort.signal,
      }).then(
        (r) => {
          setReading(r);
          setFailure(null);
          setPending(false);
        },
        (e: unknown) => {
          if (abort.signal.aborted) return;
          setReading(null);
          setFailure(e);
          setPending(false);
        },
      );
    }, delay);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [image, body, asked]);

  const refresh = () => {
    immediate.current = true;
    setAsked((n) => n + 1);
  };
  // worded at render, in the user's language
  return { reading, error: failure === null ? null : failureText(failure), pending, refresh };
}
