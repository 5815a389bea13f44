import type { Metadata, Viewport } from 'next';
import { NextIntlClientProvider } from 'next-intl';
import { getLocale, getTranslations } from 'next-intl/server';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { LocaleSwitcher } from '../components/LocaleSwitcher';
import { ServiceWorker } from '../components/ServiceWorker';
import { currentUser } from '../lib/session';
import { inter, mono } from './fonts';
// Hangul, split by unicode-range: a page loads only the subsets of the syllables it shows.
import '@fontsource-variable/noto-sans-kr/wght.css';
import './globals.css';
import styles from './layout.module.css';

const APP_NAME = 'MeterTwin';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('app');
  return {
    title: { default: APP_NAME, template: `%s · ${APP_NAME}` },
    description: t('description'),
    applicationName: APP_NAME,
    appleWebApp: { capable: true, title: APP_NAME, statusBarStyle: 'default' },
    icons: { icon: '/icons/icon-192.png', apple: '/icons/apple-touch-icon.png' },
  };
}

/** The signed-in user's main navigation, in this order (labels: messages `nav.*`). */
const NAV = [
  { href: '/', key: 'meters' },
  { href: '/review', key: 'review' },
  { href: '/alarms', key: 'alarms' },
  { href: '/rules', key: 'rules' },
  { href: '/actuators', key: 'actuators' },
  { href: '/notifications', key: 'notifications' },
  { href: '/settings', key: 'settings' },
] as const;

export const viewport: Viewport = { themeColor: '#0f2a3d', width: 'device-width', initialScale: 1 };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const [user, locale, t] = await Promise.all([currentUser(), getLocale(), getTranslations()]);
  return (
    <html lang={locale} className={`${inter.variable} ${mono.variable}`}>
      <body>
        <NextIntlClientProvider>
          <a className="skip-link" href="#main">
            {t('app.skipToContent')}
          </a>
          <header className="app-header">
            <div className={`app-header__inner ${styles.inner}`}>
              <Link href="/" className="brand" aria-label={t('app.home')}>
                <svg className="brand__mark" viewBox="0 0 24 24" aria-hidden="true">
                  <circle cx="12" cy="12" r="10" fill="none" stroke="currentColor" strokeWidth="2" />
                  <rect x="6" y="9" width="12" height="6" rx="1" fill="currentColor" />
                </svg>
                <span>{APP_NAME}</span>
              </Link>
              {user ? (
                <nav aria-label={t('nav.label')} className={styles.nav}>
                  {NAV.map(({ href, key }) => (
                    <Link key={href} href={href} className="nav-link">
                      {t(`nav.${key}`)}
                    </Link>
                  ))}
                </nav>
              ) : null}
              <div className={styles.account}>
                <LocaleSwitcher />
                {user ? (
                  <>
                    <span className={styles.user}>
                      {user.name} <span className={styles.role}>{t(`roles.${user.role}`)}</span>
                    </span>
                    <form method="post" action="/api/auth/signout">
                      <button type="submit" className={styles.signout}>
                        {t('app.signOut')}
                      </button>
                    </form>
                  </>
                ) : null}
              </div>
            </div>
          </header>
          <main id="main" className="app-main">
            {children}
          </main>
          <ServiceWorker />
        </NextIntlClientProvider>
      </body>
    </html>
  );
}
