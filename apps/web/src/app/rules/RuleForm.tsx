'use client';

import { useTranslations } from 'next-intl';
import type { Messages } from '../../i18n/messages';
import { useState, type FormEvent } from 'react';
import { useRuleTypeName } from '../../components/useRuleTypeName';
import { useServerChange } from '../../lib/send-json';
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
  const typeName = useRuleTypeName();
  const { busy, error, setError, send } = useServerChange();
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
    await send(rule ? `/api/rules/${rule.id}` : '/api/rules', { method: rule ? 'PUT' : 'POST', body });
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
  const { busy, error, send } = useServerChange();

  async function remove() {
    if (!window.confirm(t('deleteConfirm', { label }))) return;
    await send(`/api/rules/${ruleId}`, { method: 'DELETE' });
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
