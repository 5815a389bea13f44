'use client';

import { useEffect } from 'react';

/** Registers /sw.js (offline shell, alarm push notifications) once the page has loaded. */
export function ServiceWorker() {
  useEffect(() => {
    if (!('serviceWorker' in navigator)) return;
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch((error: unknown) => {
      console.warn('service worker not registered:', error);
    });
  }, []);
  return null;
}
