import type { Metadata } from 'next';
import Link from 'next/link';
import { DEFAULT_MIN_CONFIDENCE } from '@metertwin/readings';
import { requireUser } from '../../lib/session';
import { OnboardWizard } from './OnboardWizard';
import styles from './onboard.module.css';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Add a meter' };

export default async function OnboardPage() {
  // Operators and admins only: a viewer gets a 404 like any page they may not see.
  await requireUser('operator');
  return (
    <>
      <nav aria-label="Breadcrumb" className={styles.breadcrumb}>
        <Link href="/">Meters</Link>
        <span aria-hidden="true"> / </span>
        <span aria-current="page">Add a meter</span>
      </nav>
      <h1>Add a meter</h1>
      <p className="muted">
        Point the platform at the meter&apos;s camera, check where the counter is on a first photo, and see
        the first reading before saving.
      </p>
      <OnboardWizard
        timeZones={Intl.supportedValuesOf('timeZone')}
        defaultTimeZone="Europe/Berlin"
        defaultMinConfidence={DEFAULT_MIN_CONFIDENCE}
      />
    </>
  );
}
