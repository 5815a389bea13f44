import { getApps, initializeApp, type FirebaseApp } from 'firebase/app';
import { deleteToken, getMessaging, getToken } from 'firebase/messaging';
import type { FirebaseWebSettings } from './firebase-web-settings';

/**
 * This browser's Firebase Cloud Messaging registration, through the official Firebase JS SDK: the
 * portal's own service worker holds the push subscription (FCM delivers alarms to it like any web
 * push), and FCM answers a registration token that notify's firebase-admin sends to. Loaded only when
 * the server has Firebase configured.
 */

const APP_NAME = 'metertwin-portal';

function firebaseApp(settings: FirebaseWebSettings): FirebaseApp {
  return getApps().find((a) => a.name === APP_NAME) ?? initializeApp(settings.config, APP_NAME);
}

/** The browser's FCM token (subscribing it to push first when it is not). */
export function fcmToken(settings: FirebaseWebSettings, registration: ServiceWorkerRegistration): Promise<string> {
  return getToken(getMessaging(firebaseApp(settings)), { vapidKey: settings.vapidKey, serviceWorkerRegistration: registration });
}

/** Unregisters the browser's token at FCM and ends its push subscription. */
export async function dropFcmToken(settings: FirebaseWebSettings): Promise<void> {
  await deleteToken(getMessaging(firebaseApp(settings)));
}
