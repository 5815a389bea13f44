'use client';

import { useTranslations } from 'next-intl';
import { useState, type FormEvent } from 'react';
import { RelativeTime } from '../../components/RelativeTime';
import { useServerChange } from '../../lib/send-json';
import ui from '../../components/ui.module.css';
import styles from '../rules/portal-forms.module.css';
import settings from './settings.module.css';

export interface ApiKeyRow {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** The organization's API keys: create (the key is shown once), list, revoke. */
export function ApiKeysPanel({ keys }: { keys: ApiKeyRow[] }) {
  const t = useTranslations('settings.keys');
  const { busy, error, send } = useServerChange();
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);

  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const answer = await send<{ key: { name: string }; token: string }>('/api/organization/api-keys', {
      body: { name: String(data.get('name') ?? ''), scopes: data.getAll('scopes').map(String) },
    });
    if (!answer) return;
    setCreated({ name: answer.key.name, token: answer.token });
    form.reset();
  }

  return (
    <div className={styles.details}>
      {created ? (
        <p role="status" className={ui.panel}>
          {t.rich('created', {
            name: created.name,
            token: () => (
              <code className={styles.code} data-testid="new-api-key">
                {created.token}
              </code>
            ),
          })}
        </p>
      ) : null}
      <form className={styles.form} onSubmit={create}>
        <label className={styles.field}>
          {t('name')}
          <input name="name" required maxLength={100} placeholder={t('namePlaceholder')} />
        </label>
        <fieldset className={settings.scopes}>
          <legend>{t('scopes')}</legend>
          <label className={styles.check}>
            <input type="checkbox" name="scopes" value="read" defaultChecked /> {t('scope.read')}
          </label>
          <label className={styles.check}>
            <input type="checkbox" name="scopes" value="write" /> {t('scope.write')}
          </label>
        </fieldset>
        <div className={styles.buttons}>
          <button type="submit" className={styles.button} disabled={busy}>
            {t('create')}
          </button>
        </div>
      </form>
      {error ? (
        <p role="alert" className={ui.alert}>
          {error}
        </p>
      ) : null}
      {keys.length === 0 ? (
        <p className={styles.meta}>{t('none')}</p>
      ) : (
        <table className={`${ui.table} ${settings.keys}`}>
          <thead>
            <tr>
              <th scope="col">{t('name')}</th>
              <th scope="col">{t('key')}</th>
              <th scope="col">{t('scopes')}</th>
              <th scope="col">{t('lastUsed')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {keys.map((key) => (
              <tr key={key.id}>
                <td>{key.name}</td>
                <td>
                  <code className={styles.code}>{key.prefix}…</code>
                </td>
                <td>
                  {key.scopes.map((s) => (s === 'read' || s === 'write' ? t(`scope.${s}`) : s)).join(', ')}
                </td>
                <td>{key.lastUsedAt ? <RelativeTime date={new Date(key.lastUsedAt)} /> : t('never')}</td>
                <td>
                  {key.revokedAt ? (
                    <span className={`${ui.tag} ${ui.none}`}>{t('revoked')}</span>
                  ) : (
                    <button
                      type="button"
                      className={`${styles.button} ${styles.danger}`}
                      disabled={busy}
                      aria-label={t('revokeLabel', { name: key.name })}
                      onClick={() => void send(`/api/organization/api-keys/${key.id}`, { method: 'DELETE' })}
                    >
                      {t('revoke')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
