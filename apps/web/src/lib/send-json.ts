'use client';

import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import type { RefusalBody } from './refusal';
import { useRefusalText } from './refusal-text';

/** The server answered, and refused: its `error` text, or none (then its status says it), and its code, params and field issues if any. */
export class ServerRefusal extends Error {
  constructor(
    readonly status: number,
    readonly text: string | undefined,
    readonly detail: Omit<RefusalBody, 'error'> = {},
  ) {
    super(text ?? `the server answered ${status}`);
  }
}

/** The portal could not be reached at all. */
export class PortalUnreachable extends Error {}

export interface SendJsonOptions {
  method?: 'POST' | 'PUT' | 'DELETE';
  /** Sent as JSON; without it the request has no body. */
  body?: unknown;
  signal?: AbortSignal;
}

/**
 * Sends a request to a portal API route and returns its JSON answer. A non-2xx answer throws its
 * `error` text, a portal that cannot be reached throws a sentence saying so (an abort stays an abort).
 */
export async function sendJson<T>(
  url: string,
  { method = 'POST', body, signal }: SendJsonOptions = {},
): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      signal,
    });
  } catch (e) {
    if (signal?.aborted) throw e;
    throw new PortalUnreachable('the portal cannot be reached; try again');
  }
  const json = (await res.json().catch(() => ({}))) as T & Partial<RefusalBody>;
  if (!res.ok) throw new ServerRefusal(res.status, json.error, { code: json.code, params: json.params, issues: json.issues });
  return json;
}

/**
 * What to tell the user about a failed request, in their language: a refusal's code as its message
 * (refusal-text.ts), else the server's text, else its status; a portal out of reach says so.
 */
export function useFailureText(): (e: unknown) => string {
  const tError = useTranslations('errors');
  const refusalText = useRefusalText();
  return (e) => {
    if (e instanceof ServerRefusal) return refusalText(e.detail) ?? e.text ?? tError('status', { status: e.status });
    return e instanceof PortalUnreachable ? tError('unreachable') : (e as Error).message;
  };
}

/**
 * A button or form that changes something on the server: `send` runs one request (busy meanwhile),
 * keeps the refusal's text in `error`, and reloads the page's server data once the server has answered
 * (a refused change too: it is often refused because the data moved, e.g. an alarm cleared meanwhile),
 * unless `refresh` is false (a list that updates itself). It resolves the server's answer when the
 * change was accepted, undefined when not.
 */
export function useServerChange({ refresh = true }: { refresh?: boolean } = {}) {
  const failureText = useFailureText();
  const router = useRouter();
  const [, startTransition] = useTransition();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function send<T = Record<string, unknown>>(url: string, options?: SendJsonOptions): Promise<T | undefined> {
    setBusy(true);
    setError(null);
    let answered = true;
    let answer: T | undefined;
    try {
      // A 2xx without a JSON body is an accepted change too.
      answer = (await sendJson<T>(url, options)) ?? ({} as T);
    } catch (e) {
      answered = e instanceof ServerRefusal;
      setError(failureText(e));
    }
    setBusy(false);
    // Not after a network failure: a refresh that cannot reach the server falls back to a full reload.
    if (answered && refresh) startTransition(() => router.refresh());
    return answer;
  }

  return { busy, error, setError, send };
}
