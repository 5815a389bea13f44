import type { Messages } from './messages';
import type { Locale } from './locales';

// next-intl checks every message key and locale at compile time against the English messages
// (the key parity test keeps Korean in step with them).
declare module 'next-intl' {
  interface AppConfig {
    Locale: Locale;
    Messages: Messages;
  }
}
