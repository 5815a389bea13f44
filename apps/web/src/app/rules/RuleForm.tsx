'use client';

import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import type { Messages } from '../../i18n/messages';
import { useState, useTransition, type FormEvent } from 'react';
import { useRuleTypeName } from '../../components/useRuleTypeName';
import styles from './portal-forms.module.css';

export interface RuleFormChoices {
  types: { type: string; description: string }[];
  meters: { id: string; name: string }[];
  groups: string[];
  actuators: { id: string; name: string }[];
}

interface RuleAction {
  type: 'actuate';
  actuatorId: string;
  command: string;
  on: 'raise' | 'clear';
}

export interface EditableRule {
  id: string;
  type: string;
  meterId: string | null;
  group: string | null;
  config: Record<string, unknown>;
  severity: string;
  enabled: boolean;
  actions: RuleAction[];
}

const SEVERITIES = ['critical', 'major', 'minor', 'warning'] as const;
const isCloseOnRaise = (a: RuleAction) => a.command === 'close' && a.on === 'raise';

/** The create / edit form of one rule; the server checks the config against the type's schema. */
export function RuleForm({ rule, choices }: { rule?: EditableRule; choices: RuleFormChoices }) {
  const t = useTranslations('rules');
  const tSeverity = useTranslations('severity');
  const tError = useTranslations('errors');
  const typeName = useRuleTypeName();
  const router = useRouter();
  const [, startTransition] = useTransition();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [type, setType] = useState(rule?.type ?? choices.types[0]?.type ?? '');
  const initialTarget = rule?.meterId ? `meter:${rule.meterId}` : rule?.group ? `group:${rule.group}` : 'all';
  const closeValve = rule?.actions.find(isCloseOnRaise)?.actuatorId ?? '';
  const idPrefix = rule ? `rule-${rule.id}` : 'new-rule';

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    let config: unknown;
    try {
      config = JSON.parse(String(form.get('config') ?? ''));
    } catch {
      setError(t('form.badJson'));
      return;
    }
    const target = String(form.get('target'));
    const actuatorId = String(form.get('closeValve') ?? '');
    // Other actions (set through the API) are kept; the form only manages "close the valve on raise".
    const actions = [
      ...(rule?.actions.filter((a) => !isCloseOnRaise(a)) ?? []),
      ...(actuatorId ? [{ type: 'actuate', actuatorId, command: 'close', on: 'raise' }] : []),
    ];
    const body = {
      type,
      meterId: target.startsWith('meter:') ? target.slice(6) : null,
      group: target.startsWith('group:') ? target.slice(6) : null,
      config,
      severity: String(form.get('severity')),
      enabled: form.get('enabled') === 'on',
      actions,
    };
    setBusy(true);
    setError(null);
    try {
      const res = await fetch(rule ? `/api/rules/${rule.id}` : '/api/rules', {
        method: rule ? 'PUT' : 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const json = (await res.json().catch(() => ({}))) as { error?: string };
      if (!res.ok) {
        setError(json.error ?? tError('status', { status: res.status }));
        return;
      }
      startTransition(() => router.refresh());
    } catch {
      setError(tError('unreachable'));
    } finally {
      setBusy(false);
    }
  }

  const plugin = choices.types.find((p) => p.type === type);
  // The plugin's own (English) description stands in for a type without a translation.
  const typeKey = `types.${plugin?.type}` as `types.${keyof Messages['rules']['types']}`;
  const description = plugin && (t.has(typeKey) ? t(typeKey) : plugin.description);
  return (
    <form className={styles.form} onSubmit={submit} aria-label={rule ? t('form.editLabel') : t('newRule')}>
      <label className={styles.field}>
        {t('form.type')}
        <select name="type" value={type} onChange={(e) => setType(e.target.value)}>
          {choices.types.map((p) => (
            <option key={p.type} value={p.type}>
              {typeName(p.type)}
            </option>
          ))}
        </select>
        {description ? <span className={styles.hint}>{description}</span> : null}
      </label>
      <label className={styles.field}>
        {t('form.appliesTo')}
        <select name="target" defaultValue={initialTarget}>
          <option value="all">{t('form.allMeters')}</option>
          {choices.groups.length > 0 ? (
            <optgroup label={t('form.group')}>
              {choices.groups.map((g) => (
                <option key={g} value={`group:${g}`}>
                  {t('targetGroup', { group: g })}
                </option>
              ))}
            </optgroup>
          ) : null}
          <optgroup label={t('form.meter')}>
            {choices.meters.map((m) => (
              <option key={m.id} value={`meter:${m.id}`}>
                {m.name}
              </option>
            ))}
          </optgroup>
        </select>
      </label>
      <label className={styles.field}>
        {t('form.severity')}
        <select name="severity" defaultValue={rule?.severity ?? 'major'}>
          {SEVERITIES.map((s) => (
            <option key={s} value={s}>
              {tSeverity(s)}
            </option>
          ))}
        </select>
      </label>
      <label className={styles.field}>
        {t('form.closeValve')}
        <select name="closeValve" defaultValue={closeValve}>
          <option value="">{t('form.noAction')}</option>
          {choices.actuators.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </select>
      </label>
      <label className={`${styles.field} ${styles.wide}`} htmlFor={`${idPrefix}-config`}>
        {t('form.config')}
        <textarea
          id={`${idPrefix}-config`}
          name="config"
          spellCheck={false}
          defaultValue={JSON.stringify(rule?.config ?? {}, null, 2)}
        />
      </label>
      <div className={`${styles.buttons} ${styles.wide}`}>
        <label className={styles.check}>
          <input type="checkbox" name="enabled" defaultChecked={rule?.enabled ?? true} /> {t('form.enabled')}
        </label>
        <button type="submit" className={styles.button} disabled={busy}>
          {rule ? t('form.save') : t('form.create')}
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

/** Deletes a rule after a confirmation; its alarms stay. */
export function DeleteRuleButton({ ruleId, label }: { ruleId: string; label: string }) {
  const t = useTranslations('rules');
  const tError = useTranslations('errors');
  const router = useRouter();
  const [, startTransition] = useTransition();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function remove() {
    if (!window.confirm(t('deleteConfirm', { label }))) return;
    setBusy(true);
    setError(null);
    try {
      const res = await fetch(`/api/rules/${ruleId}`, { method: 'DELETE' });
      if (!res.ok) {
        const json = (await res.json().catch(() => ({}))) as { error?: string };
        setError(json.error ?? tError('status', { status: res.status }));
      }
      startTransition(() => router.refresh());
    } catch {
      setError(tError('unreachable'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <span className={styles.buttons}>
      <button type="button" className={`${styles.button} ${styles.danger}`} disabled={busy} onClick={remove}>
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
