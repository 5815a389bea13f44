'use client';

import type { LiveEvent } from '@metertwin/contracts';

type Listener = (event: LiveEvent) => void;

/**
 * One EventSource on /api/events per browser tab, shared by every live component of the page (a
 * fleet page of 48 tiles opens one stream, not 48). It is opened with the first listener and closed
 * with the last; EventSource reconnects a dropped stream by itself.
 */
const listeners = new Set<Listener>();
let source: EventSource | undefined;
const TYPES: LiveEvent['type'][] = ['reading.stored', 'alarm.raised', 'capture.failed'];

function dispatch(message: MessageEvent<string>) {
  let event: LiveEvent;
  try {
    event = JSON.parse(message.data) as LiveEvent;
  } catch {
    return;
  }
  for (const listener of listeners) listener(event);
}

export function subscribeLive(listener: Listener): () => void {
  listeners.add(listener);
  if (!source) {
    source = new EventSource('/api/events');
    for (const type of TYPES) source.addEventListener(type, dispatch as EventListener);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && source) {
      source.close();
      source = undefined;
    }
  };
}
