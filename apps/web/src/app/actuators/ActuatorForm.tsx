'use client';

import { useTranslations } from 'next-intl';
import { useState, type FormEvent } from 'react';
import { useServerChange } from '../../lib/send-json';
import styles from '../rules/portal-forms.module.css';

type Kind = 'http' | 'mqtt';

/** The body of POST /api/actuators from the form: empty optional fields are left out. */
function actuatorBody(form: FormData, kind: Kind) {
  const text = (name: string) => String(form.get(name) ?? '').trim();
  const optional = (name: string) => text(name) || undefined;
  const base = { name: text('name'), meterId: text('meterId') || null, kind };
  if (kind === 'http') {
    const header = text('headerName');
    return { ...base, config: { url: text('url'), headers: header ? { [header]: text('headerValue') } : {} } };
  }
  return {
    ...base,
    config: {
      url: text('url'),
      commandTopic: text('commandTopic'),
      stateTopic: text('stateTopic'),
      username: optional('username'),
      password: optional('password'),
    },
  };
}

/** Adds an actuator (admins): how notify reaches it, over HTTP or MQTT; its credentials are stored sealed. */
export function ActuatorForm({ meters }: { meters: { id: string; name: string }[] }) {
  const t = useTranslations('actuators.form');
  const { busy, error, send } = useServerChange();
  const [kind, setKind] = useState<Kind>('mqtt');

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    if (await send('/api/actuators', { body: actuatorBody(new FormData(form), kind) })) form.reset();
  }

  return (
    <form className={styles.form} onSubmit={submit} aria-label={t('label')}>
      <label className={styles.field}>
        {t('name')}
        <input name="name" required maxLength={200} autoComplete="off" />
      </label>
      <label className={styles.field}>
        {t('meter')}
        <select name="meterId" defaultValue="">
          <option value="">{t('noMeter')}</option>
          {meters.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
        </select>
      </label>
      <label className={styles.field}>
        {t('kind')}
        <select name="kind" value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
          <option value="mqtt">{t('kinds.mqtt')}</option>
          <option value="http">{t('kinds.http')}</option>
        </select>
      </label>
      <label className={styles.field}>
        {kind === 'mqtt' ? t('brokerUrl') : t('url')}
        <input
          name="url"
          type="url"
          required
          placeholder={kind === 'mqtt' ? t('examples.brokerUrl') : t('examples.url')}
          className={styles.code}
        />
        <span className={styles.hint}>{kind === 'mqtt' ? t('brokerHint') : t('urlHint')}</span>
      </label>
      {kind === 'mqtt' ? (
        <>
          <label className={styles.field}>
            {t('commandTopic')}
            <input name="commandTopic" required placeholder={t('examples.commandTopic')} className={styles.code} />
          </label>
          <label className={styles.field}>
            {t('stateTopic')}
            <input name="stateTopic" required placeholder={t('examples.stateTopic')} className={styles.code} />
          </label>
          <label className={styles.field}>
            {t('username')}
            <input name="username" autoComplete="off" />
          </label>
          <label className={styles.field}>
            {t('password')}
            <input name="password" type="password" autoComplete="new-password" />
          </label>
        </>
      ) : (
        <>
          <label className={styles.field}>
            {t('headerName')}
            <input name="headerName" placeholder={t('examples.headerName')} className={styles.code} autoComplete="off" />
          </label>
          <label className={styles.field}>
            {t('headerValue')}
            <input name="headerValue" type="password" autoComplete="new-password" />
          </label>
        </>
      )}
      <div className={`${styles.buttons} ${styles.wide}`}>
        <span className={styles.hint}>{t('sealed')}</span>
        <button type="submit" className={styles.button} disabled={busy}>
          {t('create')}
        </button>
        {error ? (
          <p role="alert" className={styles.error}>
            {error}
          </p>
        ) : null}
      </div>
    </form>
  );
}

/** Deletes an actuator (admins) after a confirmation; rules that name it leave it out from then on. */
export function DeleteActuatorButton({ actuatorId, name }: { actuatorId: string; name: string }) {
  const t = useTranslations('actuators.form');
  const { busy, error, send } = useServerChange();

  async function remove() {
    if (!window.confirm(t('deleteConfirm', { name }))) return;
    await send(`/api/actuators/${actuatorId}`, { method: 'DELETE' });
  }

  return (
    <span className={styles.buttons}>
      <button type="button" className={`${styles.button} ${styles.danger}`} disabled={busy} onClick={remove} aria-label={t('deleteLabel', { name })}>
        {t('delete')}
      </button>
      {error ? (
        <span role="alert" className={styles.error}>
          {error}
        </span>
      ) : null}
    </span>
  );
}
