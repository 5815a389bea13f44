import type { Metadata, Viewport } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { ServiceWorker } from '../components/ServiceWorker';
import { roleLabel } from '../lib/format-role';
import { currentUser } from '../lib/session';
import { inter, mono } from './fonts';
import './globals.css';
import styles from './layout.module.css';

export const metadata: Metadata = {
  title: { default: 'MeterTwin', template: '%s · MeterTwin' },
  description: 'Live digital twins of your water meters, read from camera photos.',
  applicationName: 'MeterTwin',
  appleWebApp: { capable: true, title: 'MeterTwin', statusBarStyle: 'default' },
  icons: { icon: '/icons/icon-192.png', apple: '/icons/apple-touch-icon.png' },
};

/** The signed-in user's main navigation, in this order. */
const NAV = [
  { href: '/', label: 'Meters' },
  { href: '/review', label: 'Review' },
  { href: '/alarms', label: 'Alarms' },
  { href: '/rules', label: 'Rules' },
  { href: '/actuators', label: 'Actuators' },
  { href: '/notifications', label: 'Notifications' },
  { href: '/settings', label: 'Settings' },
] as const;

export const viewport: Viewport = { themeColor: '#0f2a3d', width: 'device-width', initialScale: 1 };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const user = await currentUser();
  return (
    <html lang="en" className={`${inter.variable} ${mono.variable}`}>
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="app-header">
          <div className={`app-header__inner ${styles.inner}`}>
            <Link href="/" className="brand" aria-label="MeterTwin home: all meters">
              <svg className="brand__mark" viewBox="0 0 24 24" aria-hidden="true">
                <circle cx="12" cy="12" r="10" fill="none" stroke="currentColor" strokeWidth="2" />
                <rect x="6" y="9" width="12" height="6" rx="1" fill="currentColor" />
              </svg>
              <span>MeterTwin</span>
            </Link>
            {user ? (
              <>
                <nav aria-label="Main" className={styles.nav}>
                  {NAV.map(({ href, label }) => (
                    <Link key={href} href={href} className="nav-link">
                      {label}
                    </Link>
                  ))}
                </nav>
                <div className={styles.account}>
                  <span className={styles.user}>
                    {user.name} <span className={styles.role}>{roleLabel(user.role)}</span>
                  </span>
                  <form method="post" action="/api/auth/signout">
                    <button type="submit" className={styles.signout}>
                      Sign out
                    </button>
                  </form>
                </div>
              </>
            ) : null}
          </div>
        </header>
        <main id="main" className="app-main">
          {children}
        </main>
        <ServiceWorker />
      </body>
    </html>
  );
}
