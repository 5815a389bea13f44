import type { Metadata } from 'next';
import { getLocale, getTranslations } from 'next-intl/server';
import { findAuditActions, findAuditEntries } from '@metertwin/alarms';
import { listMembers } from '@metertwin/org-admin';
import { RelativeTime } from '../../../components/RelativeTime';
import ui from '../../../components/ui.module.css';
import { AUDIT_PAGE_SIZE, auditQuery } from '../../../lib/audit-log';
import { prisma } from '../../../lib/server';
import { requireUser } from '../../../lib/session';
import styles from '../../rules/portal-forms.module.css';
import settings from '../settings.module.css';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('admin.audit'))('title') };
}
export const dynamic = 'force-dynamic';

const isoDay = (date: Date | undefined) => date?.toISOString().slice(0, 10) ?? '';

/** Settings → Audit log (admins only): filter by who, action and days; 50 entries a page, newest first. */
export default async function AuditLogPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const me = await requireUser('admin');
  const { filter, page } = auditQuery(await searchParams);
  const [{ users }, actions, { entries, hasMore }] = await Promise.all([
    listMembers(prisma(), me.orgId),
    findAuditActions(prisma(), me.orgId),
    findAuditEntries(prisma(), me.orgId, filter, {
      offset: (page - 1) * AUDIT_PAGE_SIZE,
      limit: AUDIT_PAGE_SIZE,
    }),
  ]);
  const t = await getTranslations('admin.audit');
  const tAction = await getTranslations('admin.audit.actions');
  const locale = await getLocale();
  // An action without a message (a new one, or one written by a plugin) keeps its code.
  const actionName = (action: string) => {
    const key = action as Parameters<typeof tAction>[0];
    return tAction.has(key) ? tAction(key) : action;
  };
  const names = new Map(users.map((u) => [u.id, u.name]));
  const actorName = (type: string, id: string | null) => {
    if (type === 'user') return (id && names.get(id)) ?? t('actorTypes.unknownUser');
    if (type === 'api-key') return t('actorTypes.apiKey');
    if (type === 'device') return t('actorTypes.device');
    return t('actorTypes.system');
  };
  const until = filter.to && new Date(filter.to.getTime() - 1);
  const pageLink = (n: number) => {
    const query = new URLSearchParams();
    if (filter.actorId) query.set('actor', filter.actorId);
    if (filter.action) query.set('action', filter.action);
    if (filter.from) query.set('from', isoDay(filter.from));
    if (until) query.set('to', isoDay(until));
    query.set('page', String(n));
    return `/settings/audit?${query}`;
  };

  return (
    <section aria-labelledby="audit-title" className={settings.sections}>
      <header className={styles.header}>
        <h1 id="audit-title" className={ui.pageTitle}>
          {t('title')}
        </h1>
      </header>
      <section className={styles.card}>
        <p className={styles.meta}>{t('intro')}</p>
        <form method="get" action="/settings/audit" className={settings.filters}>
          <div className={styles.field}>
            <label htmlFor="audit-actor">{t('actor')}</label>
            <select id="audit-actor" name="actor" defaultValue={filter.actorId ?? ''}>
              <option value="">{t('anyone')}</option>
              {users.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
            </select>
          </div>
          <div className={styles.field}>
            <label htmlFor="audit-action">{t('action')}</label>
            <select id="audit-action" name="action" defaultValue={filter.action ?? ''}>
              <option value="">{t('anyAction')}</option>
              {actions
                .map((action) => ({ action, name: actionName(action) }))
                .sort((a, b) => a.name.localeCompare(b.name, locale))
                .map(({ action, name }) => (
                  <option key={action} value={action}>
                    {name}
                  </option>
                ))}
            </select>
          </div>
          <div className={styles.field}>
            <label htmlFor="audit-from">{t('from')}</label>
            <input id="audit-from" type="date" name="from" defaultValue={isoDay(filter.from)} />
          </div>
          <div className={styles.field}>
            <label htmlFor="audit-to">{t('to')}</label>
            <input id="audit-to" type="date" name="to" defaultValue={isoDay(until)} />
          </div>
          <div className={styles.buttons}>
            <button type="submit" className={styles.button}>
              {t('apply')}
            </button>
            <a href="/settings/audit">{t('clear')}</a>
          </div>
        </form>
        {entries.length === 0 ? (
          <p className={styles.meta}>{t('none')}</p>
        ) : (
          <table className={`${ui.table} ${settings.keys}`}>
            <thead>
              <tr>
                <th scope="col">{t('at')}</th>
                <th scope="col">{t('actor')}</th>
                <th scope="col">{t('action')}</th>
                <th scope="col">{t('entity')}</th>
                <th scope="col">{t('details')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.id}>
                  <td className={settings.nowrap}>
                    <RelativeTime date={entry.at} />
                  </td>
                  <td className={settings.nowrap}>{actorName(entry.actorType, entry.actorId)}</td>
                  <td>
                    {actionName(entry.action)}
                    <br />
                    <code className={styles.code}>{entry.action}</code>
                  </td>
                  <td>
                    <code className={styles.code}>
                      {entry.entityType} {entry.entityId.slice(0, 8)}
                    </code>
                  </td>
                  <td className={settings.data}>
                    <code>{JSON.stringify(entry.data)}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <nav className={settings.pager} aria-label={t('page', { page })}>
          {page > 1 ? <a href={pageLink(page - 1)}>← {t('newer')}</a> : null}
          <span>{t('page', { page })}</span>
          {hasMore ? <a href={pageLink(page + 1)}>{t('older')} →</a> : null}
        </nav>
      </section>
    </section>
  );
}
