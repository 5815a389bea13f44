'use client';

import { useTranslations } from 'next-intl';
import { useState, type FormEvent } from 'react';
import ui from '../../components/ui.module.css';
import { useServerChange } from '../../lib/send-json';
import styles from '../rules/portal-forms.module.css';
import settings from './settings.module.css';

const SEVERITIES = ['critical', 'major', 'minor', 'warning'] as const;
type Severity = (typeof SEVERITIES)[number];

export interface SlackChannelRow {
  id: string;
  name: string;
  webhookUrlHint: string;
  minSeverity: Severity;
  enabled: boolean;
}

/** The organization's Slack channels for alarms: add, the least severity, on/off, delete. */
export function SlackChannelsPanel({ channels }: { channels: SlackChannelRow[] }) {
  const t = useTranslations('admin.slack');
  const tSeverity = useTranslations('severity');
  const { busy, error, send } = useServerChange();
  const [added, setAdded] = useState<string | null>(null);

  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const name = String(data.get('name') ?? '');
    setAdded(null);
    const created = await send('/api/organization/slack-channels', {
      body: { name, webhookUrl: data.get('webhookUrl'), minSeverity: data.get('minSeverity') },
    });
    if (created) {
      setAdded(t('added', { name }));
      form.reset();
    }
  }

  const change = (channel: SlackChannelRow, body: { minSeverity: Severity } | { enabled: boolean }) =>
    void send(`/api/organization/slack-channels/${channel.id}`, { method: 'PUT', body });

  return (
    <div className={styles.details}>
      <form className={styles.form} onSubmit={create}>
        <div className={styles.field}>
          <label htmlFor="slack-name">{t('name')}</label>
          <input id="slack-name" name="name" required maxLength={100} />
        </div>
        <div className={styles.field}>
          <label htmlFor="slack-url">{t('webhookUrl')}</label>
          <input id="slack-url" name="webhookUrl" type="url" required maxLength={2000} autoComplete="off" />
        </div>
        <div className={styles.field}>
          <label htmlFor="slack-severity">{t('minSeverity')}</label>
          <select id="slack-severity" name="minSeverity" defaultValue="major">
            {SEVERITIES.map((severity) => (
              <option key={severity} value={severity}>
                {tSeverity(severity)}
              </option>
            ))}
          </select>
        </div>
        <div className={styles.buttons}>
          <button type="submit" className={styles.button} disabled={busy}>
            {t('add')}
          </button>
        </div>
      </form>
      {added ? (
        <p role="status" className={ui.panel}>
          {added}
        </p>
      ) : null}
      {error ? (
        <p role="alert" className={ui.alert}>
          {error}
        </p>
      ) : null}
      {channels.length === 0 ? (
        <p className={styles.meta}>{t('none')}</p>
      ) : (
        <table className={`${ui.table} ${settings.keys}`}>
          <thead>
            <tr>
              <th scope="col">{t('name')}</th>
              <th scope="col">{t('webhookUrl')}</th>
              <th scope="col">{t('minSeverity')}</th>
              <th scope="col">{t('status')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {channels.map((channel) => (
              <tr key={channel.id}>
                <td>{channel.name}</td>
                <td>
                  <code className={styles.code}>{channel.webhookUrlHint}</code>
                </td>
                <td>
                  <select
                    className={settings.inlineSelect}
                    aria-label={t('minSeverityOf', { name: channel.name })}
                    value={channel.minSeverity}
                    disabled={busy}
                    onChange={(e) => change(channel, { minSeverity: e.target.value as Severity })}
                  >
                    {SEVERITIES.map((severity) => (
                      <option key={severity} value={severity}>
                        {tSeverity(severity)}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <span className={`${ui.tag} ${channel.enabled ? ui.ok : ui.none}`}>
                    {channel.enabled ? t('enabled') : t('disabled')}
                  </span>
                </td>
                <td className={settings.actions}>
                  <button
                    type="button"
                    className={styles.button}
                    disabled={busy}
                    aria-label={t(channel.enabled ? 'disableLabel' : 'enableLabel', { name: channel.name })}
                    onClick={() => change(channel, { enabled: !channel.enabled })}
                  >
                    {channel.enabled ? t('disable') : t('enable')}
                  </button>
                  <button
                    type="button"
                    className={`${styles.button} ${styles.danger}`}
                    disabled={busy}
                    aria-label={t('deleteLabel', { name: channel.name })}
                    onClick={() =>
                      void send(`/api/organization/slack-channels/${channel.id}`, { method: 'DELETE' })
                    }
                  >
                    {t('delete')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
