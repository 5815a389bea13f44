import type { Metadata } from 'next';
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
export const metadata: Metadata = { title: 'Meters' };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const STATUS_LABEL: Record<(typeof FLEET_STATUSES)[number], string> = {
  alarm: 'Active alarms',
  review: 'Reading needs review',
  failing: 'Camera failing',
  stale: 'Camera stale',
  online: 'Camera online',
  'no-camera': 'No camera',
  'no-reading': 'No reading yet',
};

const SORT_LABEL: Record<(typeof FLEET_SORTS)[number], string> = {
  name: 'Name',
  last: 'Last reading',
  today: "Today's consumption",
  alarms: 'Alarms first',
};

const HEALTH_LABEL: Record<CameraHealth, string> = {
  online: 'Camera online',
  stale: 'Camera stale',
  failing: 'Camera failing',
  none: 'No camera',
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

  return (
    <>
      <div className={styles.head}>
        <div>
          <h1>Meters</h1>
          <p className="muted">
            {fleet.total} {fleet.total === 1 ? 'meter' : 'meters'}
            {filtered ? ' match' : ''}
            {fleet.pages > 1 ? ` · page ${fleet.page} of ${fleet.pages}` : ''}
          </p>
        </div>
        <div className={styles.headActions}>
          {canEdit ? (
            <Link href="/onboard" className={styles.addButton}>
              Add a meter
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
          No meter matches these filters. <Link href="/">Show all meters</Link>
        </p>
      ) : (
        <ul className={styles.tiles} aria-label="Meters">
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
  return (
    <form className={styles.filters} method="get" action="/" role="search" aria-label="Filter meters">
      <label className={styles.search}>
        <span>Search</span>
        <input type="search" name="q" defaultValue={query.q} placeholder="Name, location or group" />
      </label>
      <label>
        <span>Status</span>
        <select name="status" defaultValue={query.status ?? ''}>
          <option value="">Any</option>
          {FLEET_STATUSES.map((s) => (
            <option key={s} value={s}>
              {STATUS_LABEL[s]}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>Location</span>
        <select name="location" defaultValue={query.location ?? ''}>
          <option value="">Any</option>
          {locations.map((l) => (
            <option key={l} value={l}>
              {l}
            </option>
          ))}
        </select>
      </label>
      {groups.length > 0 ? (
        <label>
          <span>Group</span>
          <select name="group" defaultValue={query.group ?? ''}>
            <option value="">Any</option>
            {groups.map((g) => (
              <option key={g} value={g}>
                {g}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <label>
        <span>Sort by</span>
        <select name="sort" defaultValue={query.sort}>
          {FLEET_SORTS.map((s) => (
            <option key={s} value={s}>
              {SORT_LABEL[s]}
            </option>
          ))}
        </select>
      </label>
      <button type="submit">Apply</button>
    </form>
  );
}

function Tile({ tile, now }: { tile: FleetTile; now: Date }) {
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
        {tile.activeAlarms > 0 ? (
          <span className={styles.alarms}>
            {tile.activeAlarms} {tile.activeAlarms === 1 ? 'alarm' : 'alarms'}
          </span>
        ) : null}
      </div>
      <span className={styles.location}>
        {[tile.location, tile.group].filter(Boolean).join(' · ') || 'No location set'}
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
          <dt>Today</dt>
          <dd>
            {formatAmount(tile.today)} {unit}
          </dd>
        </div>
        <div>
          <dt>Read</dt>
          <dd>{tile.latest ? <RelativeTime date={tile.latest.takenAt} now={now} /> : '–'}</dd>
        </div>
      </dl>
      <Sparkline
        values={tile.sparkline}
        label={`Consumption per hour over the last 24 hours, ${formatAmount(total)} ${unit} in all`}
      />
      <div className={styles.tileFoot}>
        <StatusBadge status={tile.latest?.status ?? null} />
        <span
          className={`${styles.health} ${styles[`health_${tile.camera.health}`]}`}
          title={tile.camera.error ?? undefined}
        >
          <span className={styles.dot} aria-hidden="true" />
          {HEALTH_LABEL[tile.camera.health]}
        </span>
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
  if (page > 1) params.set('page', String(page));
  const s = params.toString();
  return s ? `/?${s}` : '/';
}

function Pagination({ query, pages }: { query: FleetQuery; pages: number }) {
  const page = Math.min(query.page, pages);
  return (
    <nav className={styles.pagination} aria-label="Pages">
      {page > 1 ? <Link href={pageHref(query, page - 1)}>← Previous</Link> : <span />}
      <span>
        Page {page} of {pages}
      </span>
      {page < pages ? <Link href={pageHref(query, page + 1)}>Next →</Link> : <span />}
    </nav>
  );
}

function EmptyFleet({ canEdit }: { canEdit: boolean }) {
  return (
    <section className={styles.empty} aria-labelledby="empty-title">
      <h2 id="empty-title">Add your first meter</h2>
      <p>MeterTwin reads a meter from photos of its counter.</p>
      {canEdit ? (
        <p>
          <Link href="/onboard">Add a meter</Link>: point it at a camera&apos;s snapshot URL (or let a camera
          push with a device token), check the counter layout on a first photo, and see the first reading
          before saving.
        </p>
      ) : (
        <p>An operator of your organization can add meters.</p>
      )}
    </section>
  );
}
