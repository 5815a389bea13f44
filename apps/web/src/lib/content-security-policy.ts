/**
 * The Content-Security-Policy of the portal's pages, built per request around a fresh nonce by
 * proxy.ts (responses that are not pages get theirs from next.config.ts).
 */

/** The hosts the Firebase SDK registers a browser with (lib/fcm-registration.ts). */
const FIREBASE_REGISTRATION_ORIGINS = ['https://firebaseinstallations.googleapis.com', 'https://fcmregistrations.googleapis.com'];

/** 128 random bits, base64: a nonce no page can guess or reuse. */
export function createNonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
}

export function pageContentSecurityPolicy(nonce: string, { dev, fcm = false }: { dev: boolean; fcm?: boolean }): string {
  return [
    "default-src 'self'",
    // Next puts the nonce on its inline bootstrap/RSC scripts and its <script src> tags (it reads it
    // from this policy on the request); 'strict-dynamic' lets those load the rest of the chunks.
    // No 'unsafe-inline': an injected <script> has no nonce. 'self' only serves browsers without
    // 'strict-dynamic'. React's development build needs eval for its debugging aids.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    // Stylesheets are files; the dev server injects <style> elements without the nonce.
    `style-src 'self' ${dev ? "'unsafe-inline'" : `'nonce-${nonce}'`}`,
    // React renders style props (counter drums, confidence bars, the photo's aspect ratio) as
    // style="" attributes: allowed as attributes only, not as <style> elements.
    "style-src-attr 'unsafe-inline'",
    // data: for the onboarding wizard, which shows the camera's snapshot (JSON, base64) as a data: URL.
    "img-src 'self' data:",
    "font-src 'self'",
    // fetch, the live event stream and, under next dev, its hot-reload socket; with Firebase
    // configured, the two Google APIs its SDK registers the browser with.
    `connect-src 'self'${fcm ? ` ${FIREBASE_REGISTRATION_ORIGINS.join(' ')}` : ''}`,
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}
