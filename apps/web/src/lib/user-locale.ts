import { LOCALE_COOKIE, LOCALE_COOKIE_MAX_AGE_S, type Locale } from '../i18n/locales';

/** Set-Cookie for the language choice: readable by nothing but the server, a year long. */
export function localeCookieHeader(locale: Locale, options: { secure: boolean }): string {
  const parts = [
    `${LOCALE_COOKIE}=${locale}`,
    'Path=/',
    `Max-Age=${LOCALE_COOKIE_MAX_AGE_S}`,
    'HttpOnly',
    'SameSite=Lax',
  ];
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
}
