import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { cache, Fragment } from 'react';
import { ConversionSchema } from '@metertwin/readings';
import { hasRole } from '../../../../lib/auth';
import { getMeterSettings } from '../../../../lib/meter-settings';
import { prisma } from '../../../../lib/server';
import { requireUser } from '../../../../lib/session';
import form from '../../../onboard/onboard.module.css';
import { ArchiveMeter } from './ArchiveMeter';
import { CameraConnection } from './CameraConnection';
import { CameraSettingsForm } from './CameraSettingsForm';
import { DeleteMeter } from './DeleteMeter';
import { MeterDetailsForm, type MeterDetails } from './MeterDetailsForm';
import { Rereference } from './Rereference';
import styles from './settings.module.css';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ id: string }> };

// Operators and admins change a meter (a viewer gets a 404, as for onboarding); deleting is the admin's.
const loadSettings = cache(async (id: string) => getMeterSettings(prisma(), (await requireUser('operator')).orgId, id));

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const meter = await loadSettings((await params).id);
  const t = await getTranslations('meterSettings');
  return { title: meter ? t('pageTitle', { name: meter.name }) : t('notFound') };
}

export default async function MeterSettingsPage({ params }: Props) {
  const { id } = await params;
  const meter = await loadSettings(id);
  if (!meter) notFound();
  const user = await requireUser('operator');
  const t = await getTranslations('meterSettings');
  const now = new Date();
  const details: MeterDetails = {
    name: meter.name,
    location: meter.location,
    timeZone: meter.timeZone,
    decimals: meter.decimals,
    ocrMode: meter.ocrMode,
    // a stored conversion that no longer parses is shown as none (saving then replaces it)
    conversion: ConversionSchema.safeParse(meter.conversion).data ?? null,
  };

  return (
    <>
      <nav aria-label={t('breadcrumb')} className={form.breadcrumb}>
        <Link href="/">{t('meters')}</Link>
        <span aria-hidden="true"> / </span>
        <Link href={`/meters/${meter.id}`}>{meter.name}</Link>
        <span aria-hidden="true"> / </span>
        <span aria-current="page">{t('title')}</span>
      </nav>
      <h1>{t('pageTitle', { name: meter.name })}</h1>
      {meter.archivedAt ? <p className={styles.archivedNote}>{t('archivedNote')}</p> : null}
      <div className={styles.sections}>
        <MeterDetailsForm meterId={meter.id} digits={meter.digits} initial={details} timeZones={Intl.supportedValuesOf('timeZone')} />
        {meter.devices.map((camera) => (
          <Fragment key={camera.id}>
            <CameraConnection meterId={meter.id} camera={camera} now={now} />
            <CameraSettingsForm meterId={meter.id} camera={camera} />
          </Fragment>
        ))}
        <Rereference
          meterId={meter.id}
          drums={meter.digits}
          decimals={meter.decimals}
          unit={meter.unit}
          readingRules={meter.readingRules}
          canPull={meter.devices.some((d) => d.snapshotUrl)}
          hasPhotos={meter.storedPhotos > 0}
        />
        <ArchiveMeter meterId={meter.id} archived={meter.archivedAt !== null} />
        {hasRole(user, 'admin') ? <DeleteMeter meterId={meter.id} name={meter.name} storedPhotos={meter.storedPhotos} /> : null}
      </div>
    </>
  );
}
