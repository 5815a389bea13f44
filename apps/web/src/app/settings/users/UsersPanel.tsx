'use client';

import { useLocale, useTranslations } from 'next-intl';
import { useState, type FormEvent } from 'react';
import { RelativeTime } from '../../../components/RelativeTime';
import ui from '../../../components/ui.module.css';
import { useServerChange } from '../../../lib/send-json';
import styles from '../../rules/portal-forms.module.css';
import settings from '../settings.module.css';

const ROLES = ['viewer', 'operator', 'admin'] as const;
type Role = (typeof ROLES)[number];
const LANGUAGES = ['ko', 'en'] as const;

export interface UserRow {
  id: string;
  name: string;
  email: string;
  role: Role;
  lastSignInAt: string | null;
  deactivated: boolean;
}

export interface InvitationRow {
  id: string;
  email: string;
  role: Role;
  expiresAt: string;
}

/** The organization's users (role, status, last sign-in, actions), the invite form and pending invitations. */
export function UsersPanel({
  users,
  invitations,
  meId,
  organizationLanguage,
}: {
  users: UserRow[];
  invitations: InvitationRow[];
  meId: string;
  /** The organization's default language, the invitation's default when set; else the admin's own. */
  organizationLanguage: string | null;
}) {
  const t = useTranslations('admin.users');
  const tRole = useTranslations('roles');
  const locale = useLocale();
  const { busy, error, send } = useServerChange();
  const [notice, setNotice] = useState<string | null>(null);

  async function invite(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const email = String(data.get('email') ?? '');
    setNotice(null);
    const sent = await send('/api/organization/invitations', {
      body: { email, role: data.get('role'), locale: data.get('locale') },
    });
    if (sent) {
      setNotice(t('invite.sent', { email }));
      form.reset();
    }
  }

  async function change(user: UserRow, body: { role: Role } | { active: boolean }) {
    setNotice(null);
    await send(`/api/organization/users/${user.id}`, { method: 'PUT', body });
  }

  async function sendReset(user: UserRow) {
    setNotice(null);
    if (await send(`/api/organization/users/${user.id}/password-reset`))
      setNotice(t('resetSent', { email: user.email }));
  }

  return (
    <div className={styles.details}>
      <h2 id="invite-title" className={styles.name}>
        {t('invite.title')}
      </h2>
      <form className={styles.form} onSubmit={invite} aria-labelledby="invite-title">
        <div className={styles.field}>
          <label htmlFor="invite-email">{t('invite.email')}</label>
          <input id="invite-email" name="email" type="email" required maxLength={320} autoComplete="off" />
        </div>
        <div className={styles.field}>
          <label htmlFor="invite-role">{t('invite.role')}</label>
          <select id="invite-role" name="role" defaultValue="viewer">
            {ROLES.map((role) => (
              <option key={role} value={role}>
                {tRole(role)}
              </option>
            ))}
          </select>
        </div>
        <div className={styles.field}>
          <label htmlFor="invite-locale">{t('invite.language')}</label>
          <select id="invite-locale" name="locale" defaultValue={organizationLanguage ?? locale}>
            {LANGUAGES.map((language) => (
              <option key={language} value={language}>
                {t(`languages.${language}`)}
              </option>
            ))}
          </select>
        </div>
        <div className={styles.buttons}>
          <button type="submit" className={styles.button} disabled={busy}>
            {t('invite.submit')}
          </button>
        </div>
      </form>
      {notice ? (
        <p role="status" className={ui.panel}>
          {notice}
        </p>
      ) : null}
      {error ? (
        <p role="alert" className={ui.alert}>
          {error}
        </p>
      ) : null}
      <table className={`${ui.table} ${settings.keys}`}>
        <thead>
          <tr>
            <th scope="col">{t('name')}</th>
            <th scope="col">{t('email')}</th>
            <th scope="col">{t('role')}</th>
            <th scope="col">{t('status')}</th>
            <th scope="col">{t('lastSignIn')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {users.map((user) => (
            <tr key={user.id}>
              <td>
                {user.name}
                {user.id === meId ? <span className={styles.meta}> ({t('you')})</span> : null}
              </td>
              <td>{user.email}</td>
              <td>
                <select
                  className={settings.inlineSelect}
                  aria-label={t('roleOf', { name: user.name })}
                  value={user.role}
                  disabled={busy}
                  onChange={(e) => void change(user, { role: e.target.value as Role })}
                >
                  {ROLES.map((role) => (
                    <option key={role} value={role}>
                      {tRole(role)}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                <span className={`${ui.tag} ${user.deactivated ? ui.none : ui.ok}`}>
                  {user.deactivated ? t('deactivated') : t('active')}
                </span>
              </td>
              <td>{user.lastSignInAt ? <RelativeTime date={new Date(user.lastSignInAt)} /> : t('never')}</td>
              <td className={settings.actions}>
                {user.deactivated ? (
                  <button
                    type="button"
                    className={styles.button}
                    disabled={busy}
                    aria-label={t('reactivateLabel', { name: user.name })}
                    onClick={() => void change(user, { active: true })}
                  >
                    {t('reactivate')}
                  </button>
                ) : (
                  <>
                    <button
                      type="button"
                      className={styles.button}
                      disabled={busy}
                      aria-label={t('sendResetLabel', { name: user.name })}
                      onClick={() => void sendReset(user)}
                    >
                      {t('sendReset')}
                    </button>
                    <button
                      type="button"
                      className={`${styles.button} ${styles.danger}`}
                      disabled={busy}
                      aria-label={t('deactivateLabel', { name: user.name })}
                      onClick={() => void change(user, { active: false })}
                    >
                      {t('deactivate')}
                    </button>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2 className={styles.name}>{t('pending.title')}</h2>
      {invitations.length === 0 ? (
        <p className={styles.meta}>{t('pending.none')}</p>
      ) : (
        <table className={`${ui.table} ${settings.keys}`}>
          <thead>
            <tr>
              <th scope="col">{t('email')}</th>
              <th scope="col">{t('role')}</th>
              <th scope="col">{t('pending.expires')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {invitations.map((invitation) => (
              <tr key={invitation.id}>
                <td>{invitation.email}</td>
                <td>{tRole(invitation.role)}</td>
                <td>
                  {new Date(invitation.expiresAt) < new Date() ? (
                    t('pending.expired')
                  ) : (
                    <RelativeTime date={new Date(invitation.expiresAt)} />
                  )}
                </td>
                <td>
                  <button
                    type="button"
                    className={`${styles.button} ${styles.danger}`}
                    disabled={busy}
                    aria-label={t('pending.revokeLabel', { email: invitation.email })}
                    onClick={() =>
                      void send(`/api/organization/invitations/${invitation.id}`, { method: 'DELETE' })
                    }
                  >
                    {t('pending.revoke')}
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
