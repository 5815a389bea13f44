import type { Provider } from '@nestjs/common';
import { builtInRules, RuleRegistry, type RulePlugin } from '@metertwin/rules';

/**
 * The rule types notify knows: the built-ins plus whatever a deployment passes to `startNotify`
 * (`rulePlugins`). This is the one place to register them; both the reading handler and the timer
 * use this registry. A type registered twice stops the service at start.
 */
export function ruleRegistryProvider(extraPlugins: readonly RulePlugin[] = []): Provider {
  return { provide: RuleRegistry, useFactory: () => new RuleRegistry([...builtInRules, ...extraPlugins]) };
}
