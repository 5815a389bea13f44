/* MeterTwin service worker: an offline shell and web push for alarms. Plain JS, served as is. */
const SHELL_CACHE = 'metertwin-shell-v1';
const SHELL = ['/offline.html', '/icons/icon-192.png', '/icons/badge-96.png'];

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(SHELL_CACHE)
      .then((cache) => cache.addAll(SHELL))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== SHELL_CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

// Pages always come from the network (live data, session checks); the offline page only when it fails.
self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  if (request.mode === 'navigate') {
    event.respondWith(fetch(request).catch(() => caches.match('/offline.html')));
    return;
  }
  const url = new URL(request.url);
  if (url.origin === self.location.origin && url.pathname.startsWith('/icons/')) {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
  }
});

/**
 * notify's web push payload (AlarmMessage): { eventId, kind, alarmId, meterId, severity, title, body, url? };
 * through Firebase Cloud Messaging the same message arrives as { notification: { title, body }, data: { … } }.
 */
self.addEventListener('push', (event) => {
  let message = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch {
    message = { title: 'MeterTwin', body: event.data ? event.data.text() : '' };
  }
  if (message.notification) {
    message = { ...message.data, title: message.notification.title, body: message.notification.body };
  }
  const title = message.title || 'MeterTwin alarm';
  const target = message.alarmId ? `/alarms#a-${encodeURIComponent(message.alarmId)}` : '/alarms';
  event.waitUntil(
    self.registration.showNotification(title, {
      body: message.body || '',
      tag: message.alarmId || message.eventId,
      renotify: Boolean(message.alarmId),
      requireInteraction: message.severity === 'critical',
      icon: '/icons/icon-192.png',
      badge: '/icons/badge-96.png',
      data: { url: target },
    }),
  );
});

// Opens the alarm: focuses a portal window already open (navigating it), else opens one.
self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = new URL(
    (event.notification.data && event.notification.data.url) || '/alarms',
    self.location.origin,
  ).href;
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
      for (const client of windows) {
        if (new URL(client.url).origin === self.location.origin && 'focus' in client) {
          return client.navigate(url).then((c) => (c || client).focus());
        }
      }
      return self.clients.openWindow(url);
    }),
  );
});
