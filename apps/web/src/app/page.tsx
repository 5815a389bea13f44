import type { Metadata } from 'next';
import { useLocale, useTranslations } from 'next-intl';
import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { LiveCounter } from '../components/LiveCounter';
import { LiveRefresh } from '../components/LiveRefresh';
import { RelativeTime } from '../components/RelativeTime';
import { Sparkline } from '../components/Sparkline';
import { StatusBadge } from '../components/StatusBadge';
import {
  FLEET_SORTS,
  FLEET_STATUSES,
  listFleetPage,
  parseFleetQuery,
  type FleetQuery,
  type FleetTile,
} from '../lib/fleet';
import type { CameraHealth } from '../lib/camera-health';
import { formatAmount, formatUnit } from '../lib/format';
import { prisma } from '../lib/server';
import { requireUser } from '../lib/session';
import styles from './fleet.module.css';

export const dynamic = 'force-dynamic';
export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('fleet'))('title') };
}

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

// Camera health → its message in `camera.*`.
const HEALTH_KEY: Record<CameraHealth, 'online' | 'stale' | 'failing' | 'none'> = {
  online: 'online',
  stale: 'stale',
  failing: 'failing',
  none: 'none',
};

export default async function FleetPage({ searchParams }: Props) {
  const user = await requireUser();
  const query = parseFleetQuery(await searchParams);
  const fleet = await listFleetPage(prisma(), user.orgId, query);
  const now = new Date();
  const filtered = Boolean(
    query.q || query.status || query.location !== undefined || query.group !== undefined,
  );
  const canEdit = user.role !== 'viewer';
  const t = await getTranslations('fleet');

  return (
    <>
      <div className={styles.head}>
        <div>
          <h1>{t('title')}</h1>
          <p className="muted">
            {t(filtered ? 'countMatching' : 'count', { count: fleet.total })}
            {fleet.pages > 1 ? ` · ${t('pageOf', { page: fleet.page, pages: fleet.pages })}` : ''}
          </p>
        </div>
        <div className={styles.headActions}>
          {canEdit ? (
            <Link href="/onboard" className={styles.addButton}>
              {t('addMeter')}
            </Link>
          ) : null}
          <LiveRefresh minIntervalMs={5000} />
        </div>
      </div>

      <FleetFilters query={query} locations={fleet.locations} groups={fleet.groups} />

      {fleet.total === 0 && !filtered ? (
        <EmptyFleet canEdit={canEdit} />
      ) : fleet.tiles.length === 0 ? (
        <p className={styles.noMatch}>
          {t('noMatch')} <Link href="/">{t('showAll')}</Link>
        </p>
      ) : (
        <ul className={styles.tiles} aria-label={t('title')}>
          {fleet.tiles.map((tile) => (
            <Tile key={tile.id} tile={tile} now={now} />
          ))}
        </ul>
      )}

      {fleet.pages > 1 ? <Pagination query={query} pages={fleet.pages} /> : null}
    </>
  );
}

function FleetFilters({
  query,
  locations,
  groups,
}: {
  query: FleetQuery;
  locations: string[];
  groups: string[];
}) {
  const t = useTranslations('fleet');
  const tSettings = useTranslations('meterSettings.fleet');
  return (
    <form className={styles.filters} method="get" action="/" role="search" aria-label={t('filter.label')}>
      <label className={styles.search}>
        <span>{t('filter.search')}</span>
        <input type="search" name="q" defaultValue={query.q} placeholder={t('filter.searchPlaceholder')} />
      </label>
      <label>
        <span>{t('filter.status')}</span>
        <select name="status" defaultValue={query.status ?? ''}>
          <option value="">{t('filter.any')}</option>
          {FLEET_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`status.${s}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>{t('filter.location')}</span>
        <select name="location" defaultValue={query.location ?? ''}>
          <option value="">{t('filter.any')}</option>
          {locations.map((l) => (
            <option key={l} value={l}>
              {l}
            </option>
          ))}
        </select>
      </label>
      {groups.length > 0 ? (
        <label>
          <span>{t('filter.group')}</span>
          <select name="group" defaultValue={query.group ?? ''}>
            <option value="">{t('filter.any')}</option>
            {groups.map((g) => (
              <option key={g} value={g}>
                {g}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <label>
        <span>{t('filter.sort')}</span>
        <select name="sort" defaultValue={query.sort}>
          {FLEET_SORTS.map((s) => (
            <option key={s} value={s}>
              {t(`sort.${s}`)}
            </option>
          ))}
        </select>
      </label>
      <label className={styles.showArchived}>
        <input type="checkbox" name="archived" value="1" defaultChecked={query.archived === '1'} />
        <span>{tSettings('showArchived')}</span>
      </label>
      <button type="submit">{t('filter.apply')}</button>
    </form>
  );
}

function Tile({ tile, now }: { tile: FleetTile; now: Date }) {
  const t = useTranslations('fleet');
  const tSettings = useTranslations('meterSettings.fleet');
  const tCamera = useTranslations('camera');
  const locale = useLocale();
  const unit = formatUnit(tile.unit);
  const total = tile.sparkline.reduce((a, b) => a + b, 0);
  return (
    <li
      className={`${styles.tile} ${tile.activeAlarms > 0 || tile.camera.health === 'failing' ? styles.tileBad : ''}`}
      data-meter-id={tile.id}
    >
      <div className={styles.tileHead}>
        {/* No prefetch: 48 visible tiles would render 48 twin pages (with their history) on every view. */}
        <Link href={`/meters/${tile.id}`} className={styles.meterLink} prefetch={false}>
          {tile.name}
        </Link>
        {tile.archivedAt ? <span className={styles.archived}>{tSettings('archivedTag')}</span> : null}
        {tile.activeAlarms > 0 ? (
          <span className={styles.alarms}>{t('tile.alarms', { count: tile.activeAlarms })}</span>
        ) : null}
      </div>
      <span className={styles.location}>
        {[tile.location, tile.group].filter(Boolean).join(' · ') || t('tile.noLocation')}
      </span>
      <div className={styles.value}>
        <LiveCounter
          meterId={tile.id}
          value={tile.latest?.value ?? null}
          takenAt={tile.latest?.takenAt.toISOString() ?? null}
          digits={tile.digits}
          decimals={tile.decimals}
          unit={tile.unit}
        />
      </div>
      <dl className={styles.facts}>
        <div>
          <dt>{t('tile.today')}</dt>
          <dd>
            {formatAmount(tile.today, locale)} {unit}
          </dd>
        </div>
        <div>
          <dt>{t('tile.read')}</dt>
          <dd>{tile.latest ? <RelativeTime date={tile.latest.takenAt} now={now} /> : '–'}</dd>
        </div>
      </dl>
      <Sparkline
        values={tile.sparkline}
        label={t('tile.sparkline', { total: formatAmount(total, locale), unit })}
      />
      <div className={styles.tileFoot}>
        <StatusBadge status={tile.latest?.status ?? null} />
        {/* an archived meter's cameras are not pulled: their health says nothing */}
        {tile.archivedAt ? null : (
          <span
            className={`${styles.health} ${styles[`health_${tile.camera.health}`]}`}
            title={tile.camera.error ?? undefined}
          >
            <span className={styles.dot} aria-hidden="true" />
            {tCamera(HEALTH_KEY[tile.camera.health])}
          </span>
        )}
      </div>
    </li>
  );
}

function pageHref(query: FleetQuery, page: number): string {
  const params = new URLSearchParams();
  if (query.q) params.set('q', query.q);
  if (query.status) params.set('status', query.status);
  if (query.location !== undefined) params.set('location', query.location);
  if (query.group !== undefined) params.set('group', query.group);
  if (query.sort !== 'name') params.set('sort', query.sort);
  if (query.archived) params.set('archived', query.archived);
  if (page > 1) params.set('page', String(page));
  const s = params.toString();
  return s ? `/?${s}` : '/';
}

function Pagination({ query, pages }: { query: FleetQuery; pages: number }) {
  const t = useTranslations('fleet');
  const page = Math.min(query.page, pages);
  return (
    <nav className={styles.pagination} aria-label={t('pagination.label')}>
      {page > 1 ? <Link href={pageHref(query, page - 1)}>{t('pagination.previous')}</Link> : <span />}
      <span>{t('pageOf', { page, pages })}</span>
      {page < pages ? <Link href={pageHref(query, page + 1)}>{t('pagination.next')}</Link> : <span />}
    </nav>
  );
}

function EmptyFleet({ canEdit }: { canEdit: boolean }) {
  const t = useTranslations('fleet.empty');
  return (
    <section className={styles.empty} aria-labelledby="empty-title">
      <h2 id="empty-title">{t('title')}</h2>
      <p>{t('intro')}</p>
      {canEdit ? (
        <p>{t.rich('howTo', { link: (chunks) => <Link href="/onboard">{chunks}</Link> })}</p>
      ) : (
        <p>{t('askOperator')}</p>
      )}
    </section>
  );
}
