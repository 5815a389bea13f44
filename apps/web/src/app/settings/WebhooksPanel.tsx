'use client';

import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { WebhookEventType } from '@metertwin/contracts';
import ui from '../../components/ui.module.css';
import { sendJson, useFailureText, useServerChange } from '../../lib/send-json';
import styles from '../rules/portal-forms.module.css';
import settings from './settings.module.css';

/** Each event's message key (next-intl keys cannot hold the events' dots). */
const EVENTS = [
  [WebhookEventType.ReadingAccepted, 'readingAccepted'],
  [WebhookEventType.AlarmRaised, 'alarmRaised'],
  [WebhookEventType.AlarmAcknowledged, 'alarmAcknowledged'],
  [WebhookEventType.AlarmCleared, 'alarmCleared'],
] as const;

export interface WebhookRow {
  id: string;
  url: string;
  events: string[];
  enabled: boolean;
}

/** The organization's webhook subscriptions: add (the secret shown once), turn on/off, new secret, delete. */
export function WebhooksPanel({ webhooks }: { webhooks: WebhookRow[] }) {
  const t = useTranslations('admin.webhooks');
  const failureText = useFailureText();
  const router = useRouter();
  const { busy, error, setError, send } = useServerChange();
  const [secret, setSecret] = useState<{ url: string | null; secret: string } | null>(null);

  const eventName = (event: string) => {
    const key = EVENTS.find(([type]) => type === event)?.[1];
    return key ? t(`event.${key}`) : event;
  };

  /** Sends a change whose answer carries a secret to show (create, rotate). */
  async function withSecret(url: string, body: unknown, method: 'POST' | 'PUT', shownFor: string | null) {
    setError(null);
    try {
      const { webhook } = await sendJson<{ webhook: { secret: string } }>(url, { method, body });
      setSecret({ url: shownFor, secret: webhook.secret });
      router.refresh();
      return true;
    } catch (e) {
      setError(failureText(e));
      return false;
    }
  }

  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const body = { url: String(data.get('url') ?? ''), events: data.getAll('events').map(String) };
    if (await withSecret('/api/organization/webhooks', body, 'POST', null)) form.reset();
  }

  const secretCode = () => (
    <code className={styles.code} data-testid="webhook-secret">
      {secret?.secret}
    </code>
  );

  return (
    <div className={styles.details}>
      {secret ? (
        <p role="status" className={ui.panel}>
          {secret.url
            ? t.rich('rotated', { url: secret.url, secret: secretCode })
            : t.rich('created', { secret: secretCode })}
        </p>
      ) : null}
      <form className={styles.form} onSubmit={create}>
        <div className={styles.field}>
          <label htmlFor="webhook-url">{t('url')}</label>
          <input id="webhook-url" name="url" type="url" required maxLength={2000} />
        </div>
        <fieldset className={settings.scopes}>
          <legend>{t('events')}</legend>
          {EVENTS.map(([type, key]) => (
            <label key={type} className={styles.check}>
              <input
                type="checkbox"
                name="events"
                value={type}
                defaultChecked={type !== 'reading.accepted'}
              />{' '}
              {t(`event.${key}`)}
            </label>
          ))}
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
      {webhooks.length === 0 ? (
        <p className={styles.meta}>{t('none')}</p>
      ) : (
        <table className={`${ui.table} ${settings.keys}`}>
          <thead>
            <tr>
              <th scope="col">{t('url')}</th>
              <th scope="col">{t('events')}</th>
              <th scope="col">{t('status')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {webhooks.map((webhook) => (
              <tr key={webhook.id}>
                <td className={settings.data}>
                  <code>{webhook.url}</code>
                </td>
                <td>{webhook.events.map(eventName).join(', ')}</td>
                <td>
                  <span className={`${ui.tag} ${webhook.enabled ? ui.ok : ui.none}`}>
                    {webhook.enabled ? t('enabled') : t('disabled')}
                  </span>
                </td>
                <td className={settings.actions}>
                  <button
                    type="button"
                    className={styles.button}
                    disabled={busy}
                    aria-label={t(webhook.enabled ? 'disableLabel' : 'enableLabel', { url: webhook.url })}
                    onClick={() =>
                      void send(`/api/organization/webhooks/${webhook.id}`, {
                        method: 'PUT',
                        body: { enabled: !webhook.enabled },
                      })
                    }
                  >
                    {webhook.enabled ? t('disable') : t('enable')}
                  </button>
                  <button
                    type="button"
                    className={styles.button}
                    disabled={busy}
                    aria-label={t('rotateLabel', { url: webhook.url })}
                    onClick={() =>
                      void withSecret(
                        `/api/organization/webhooks/${webhook.id}`,
                        { rotateSecret: true },
                        'PUT',
                        webhook.url,
                      )
                    }
                  >
                    {t('rotate')}
                  </button>
                  <button
                    type="button"
                    className={`${styles.button} ${styles.danger}`}
                    disabled={busy}
                    aria-label={t('deleteLabel', { url: webhook.url })}
                    onClick={() =>
                      void send(`/api/organization/webhooks/${webhook.id}`, { method: 'DELETE' })
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
