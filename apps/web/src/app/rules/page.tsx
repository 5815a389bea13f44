import type { Metadata } from 'next';
import { useTranslations } from 'next-intl';
import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import ui from '../../components/ui.module.css';
import { useRuleTypeName } from '../../components/useRuleTypeName';
import { hasRole } from '../../lib/auth';
import { listRules, ruleFormChoices, type RuleRow } from '../../lib/rules';
import { prisma } from '../../lib/server';
import { requireUser } from '../../lib/session';
import styles from './portal-forms.module.css';
import { DeleteRuleButton, RuleForm, type RuleFormChoices } from './RuleForm';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('rules'))('title') };
}
export const dynamic = 'force-dynamic';

export default async function RulesPage() {
  const user = await requireUser();
  const [rules, choices] = await Promise.all([
    listRules(prisma(), user.orgId),
    ruleFormChoices(prisma(), user.orgId),
  ]);
  const canEdit = hasRole(user, 'operator');
  const actuatorNames = new Map(choices.actuators.map((a) => [a.id, a.name]));
  const t = await getTranslations('rules');

  return (
    <section aria-labelledby="rules-title">
      <header className={styles.header}>
        <h1 id="rules-title" className={ui.pageTitle}>
          {t('title')}
        </h1>
        <p className="muted">{t('intro', { count: rules.length })}</p>
      </header>
      {canEdit ? (
        <details className={styles.newRule}>
          <summary className={styles.name}>{t('newRule')}</summary>
          <RuleForm choices={choices} />
        </details>
      ) : null}
      {rules.length === 0 ? (
        <p className={ui.panel}>{t('none')}</p>
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
  const t = useTranslations('rules');
  const tSeverity = useTranslations('severity');
  const typeName = useRuleTypeName();
  const target = rule.meter ? (
    <Link href={`/meters/${rule.meter.id}`}>{rule.meter.name}</Link>
  ) : rule.group ? (
    t('targetGroup', { group: rule.group })
  ) : (
    t('targetAll')
  );
  return (
    <>
      <div className={styles.row}>
        <h2 className={styles.name}>
          {typeName(rule.type)} · {target}
        </h2>
        <span className={styles.buttons}>
          <span className={`${ui.tag} ${ui[rule.severity]}`}>{tSeverity(rule.severity as 'critical')}</span>
          <span className={`${ui.tag} ${rule.enabled ? ui.ok : ui.none}`}>
            {rule.enabled ? t('enabled') : t('disabled')}
          </span>
        </span>
      </div>
      <p className={styles.meta}>
        {t('config')} <code className={styles.code}>{JSON.stringify(rule.config)}</code>
      </p>
      <p className={styles.meta}>
        {t('actions')}{' '}
        {rule.actions.length === 0
          ? t('noActions')
          : rule.actions
              .map((a) =>
                t('action', {
                  command: a.command,
                  actuator: actuatorNames.get(a.actuatorId) ?? a.actuatorId,
                  on: a.on,
                }),
              )
              .join('; ')}
      </p>
      {canEdit ? (
        <details className={styles.details}>
          <summary>{t('edit')}</summary>
          <RuleForm rule={rule} choices={choices} />
          <div className={styles.details}>
            <DeleteRuleButton ruleId={rule.id} label={typeName(rule.type)} />
          </div>
        </details>
      ) : null}
    </>
  );
}
