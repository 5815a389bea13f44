import type { Metadata } from 'next';
import Link from 'next/link';
import ui from '../../components/ui.module.css';
import { hasRole } from '../../lib/auth';
import { listRules, ruleFormChoices, type RuleRow } from '../../lib/rules';
import { prisma } from '../../lib/server';
import { requireUser } from '../../lib/session';
import styles from './portal-forms.module.css';
import { DeleteRuleButton, RuleForm, type RuleFormChoices } from './RuleForm';

export const metadata: Metadata = { title: 'Rules' };
export const dynamic = 'force-dynamic';

export default async function RulesPage() {
  const user = await requireUser();
  const [rules, choices] = await Promise.all([
    listRules(prisma(), user.orgId),
    ruleFormChoices(prisma(), user.orgId),
  ]);
  const canEdit = hasRole(user, 'operator');
  const actuatorNames = new Map(choices.actuators.map((a) => [a.id, a.name]));

  return (
    <section aria-labelledby="rules-title">
      <header className={styles.header}>
        <h1 id="rules-title" className={ui.pageTitle}>
          Rules
        </h1>
        <p className="muted">
          Alarm rules for one meter, a group of meters or every meter. {rules.length} rule
          {rules.length === 1 ? '' : 's'}.
        </p>
      </header>
      {canEdit ? (
        <details className={styles.newRule}>
          <summary className={styles.name}>New rule</summary>
          <RuleForm choices={choices} />
        </details>
      ) : null}
      {rules.length === 0 ? (
        <p className={ui.panel}>No rules yet.</p>
      ) : (
        <ul className={styles.list}>
          {rules.map((rule) => (
            <li key={rule.id} className={`${styles.card} ${rule.enabled ? '' : styles.disabled}`}>
              <RuleCard rule={rule} canEdit={canEdit} choices={choices} actuatorNames={actuatorNames} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function RuleCard({
  rule,
  canEdit,
  choices,
  actuatorNames,
}: {
  rule: RuleRow;
  canEdit: boolean;
  choices: RuleFormChoices;
  actuatorNames: Map<string, string>;
}) {
  const target = rule.meter ? (
    <Link href={`/meters/${rule.meter.id}`}>{rule.meter.name}</Link>
  ) : rule.group ? (
    `group ${rule.group}`
  ) : (
    'all meters'
  );
  return (
    <>
      <div className={styles.row}>
        <h2 className={styles.name}>
          {rule.type} · {target}
        </h2>
        <span className={styles.buttons}>
          <span className={`${ui.tag} ${ui[rule.severity]}`}>{rule.severity}</span>
          <span className={`${ui.tag} ${rule.enabled ? ui.ok : ui.none}`}>
            {rule.enabled ? 'enabled' : 'disabled'}
          </span>
        </span>
      </div>
      <p className={styles.meta}>
        Config <code className={styles.code}>{JSON.stringify(rule.config)}</code>
      </p>
      <p className={styles.meta}>
        Actions:{' '}
        {rule.actions.length === 0
          ? 'none'
          : rule.actions
              .map((a) => `${a.command} ${actuatorNames.get(a.actuatorId) ?? a.actuatorId} on ${a.on}`)
              .join('; ')}
      </p>
      {canEdit ? (
        <details className={styles.details}>
          <summary>Edit</summary>
          <RuleForm rule={rule} choices={choices} />
          <div className={styles.details}>
            <DeleteRuleButton ruleId={rule.id} label={rule.type} />
          </div>
        </details>
      ) : null}
    </>
  );
}
