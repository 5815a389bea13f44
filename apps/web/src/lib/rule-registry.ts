import { createRuleRegistry, type RuleRegistry } from '@metertwin/rules';
import { webConfig } from './config';

const g = globalThis as typeof globalThis & { __mtRuleRegistry?: Promise<RuleRegistry> };

/** The rule types notify knows too: the built-ins and the plugins of RULE_PLUGINS; loaded once per process. */
export function ruleRegistry(): Promise<RuleRegistry> {
  g.__mtRuleRegistry ??= createRuleRegistry(webConfig().RULE_PLUGINS);
  return g.__mtRuleRegistry;
}
