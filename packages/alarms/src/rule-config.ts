import type { RuleRegistry } from '@metertwin/rules';
import { DomainError } from './domain-error.js';
import { fieldIssues } from './field-issues.js';

/**
 * Checks a rule's config with its type's schema (built-in or plugin), so a rule that would only fail
 * when evaluated is refused when it is saved. Stored as given (defaults are filled at evaluation): a
 * config without `timeZone` is valid when it is valid with a zone, as each meter's zone fills it.
 * Refused with code `unknown-rule-type` or `invalid-fields` (each problem of the config as a field
 * issue; a plugin's refinement names its code in `params.code`, else it is `invalid`).
 */
export function checkRuleConfig(registry: RuleRegistry, type: string, config: Record<string, unknown>): void {
  const plugin = registry.get(type);
  if (!plugin) {
    const known = registry
      .list()
      .map((p) => p.type)
      .join(', ');
    throw new DomainError('invalid', `unknown rule type "${type}"; known: ${known}`, { code: 'unknown-rule-type', params: { type, known } });
  }
  const withMeterZone = 'timeZone' in config ? config : { ...config, timeZone: 'UTC' };
  if (plugin.configSchema.safeParse(withMeterZone).success) return;
  const parsed = plugin.configSchema.safeParse(config, { reportInput: true });
  if (parsed.success) return;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`);
  // Coded as the body's `config.…` fields: the page words them as it words the body's own problems.
  throw new DomainError('invalid', `config for ${type}: ${problems.join('; ')}`, { code: 'invalid-fields', issues: fieldIssues(parsed.error.issues, 'config') });
}
