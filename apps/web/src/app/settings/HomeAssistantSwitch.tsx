'use client';

import { useTranslations } from 'next-intl';
import { useState } from 'react';
import ui from '../../components/ui.module.css';
import { useServerChange } from '../../lib/send-json';
import styles from '../rules/portal-forms.module.css';

/** The organization's Home Assistant switch (admins): it shows the new state at once and goes back if the server refuses. */
export function HomeAssistantSwitch({ enabled }: { enabled: boolean }) {
  const t = useTranslations('settings.homeAssistant');
  const { busy, error, send } = useServerChange();
  const [on, setOn] = useState(enabled);

  async function toggle(next: boolean) {
    setOn(next);
    const saved = await send<{ enabled: boolean }>('/api/organization/home-assistant', { method: 'PUT', body: { enabled: next } });
    setOn(saved ? saved.enabled : !next);
  }

  return (
    <div className={styles.buttons}>
      <label>
        <input
          type="checkbox"
          role="switch"
          checked={on}
          disabled={busy}
          onChange={(e) => void toggle(e.target.checked)}
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
