import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { DEFAULT_MIN_CONFIDENCE } from '@metertwin/readings';
import { requireUser } from '../../lib/session';
import { OnboardWizard } from './OnboardWizard';
import styles from './onboard.module.css';

export const dynamic = 'force-dynamic';
export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('onboard'))('title') };
}

export default async function OnboardPage() {
  // Operators and admins only: a viewer gets a 404 like any page they may not see.
  await requireUser('operator');
  const t = await getTranslations('onboard');
  return (
    <>
      <nav aria-label={t('breadcrumb')} className={styles.breadcrumb}>
        <Link href="/">{t('meters')}</Link>
        <span aria-hidden="true"> / </span>
        <span aria-current="page">{t('title')}</span>
      </nav>
      <h1>{t('title')}</h1>
      <p className="muted">{t('intro')}</p>
      <OnboardWizard
        timeZones={Intl.supportedValuesOf('timeZone')}
        defaultTimeZone="Europe/Berlin"
        defaultMinConfidence={DEFAULT_MIN_CONFIDENCE}
      />
    </>
  );
}
