'use client';

import { useTranslations } from 'next-intl';
import ui from '../../components/ui.module.css';
import { useServerChange } from '../../lib/send-json';
import styles from '../rules/portal-forms.module.css';

/** The organization's Home Assistant switch (admins): the page reloads with what the server saved. */
export function HomeAssistantSwitch({ enabled }: { enabled: boolean }) {
  const t = useTranslations('settings.homeAssistant');
  const { busy, error, send } = useServerChange();

  return (
    <div className={styles.buttons}>
      <label>
        <input
          type="checkbox"
          role="switch"
          checked={enabled}
          disabled={busy}
          onChange={(e) => void send('/api/organization/home-assistant', { method: 'PUT', body: { enabled: e.target.checked } })}
        />{' '}
        {t('switch')}
      </label>
      {error ? (
        <span role="alert" className={ui.alert}>
          {error}
        </span>
      ) : null}
    </div>
  );
}
