import type { Provider } from '@nestjs/common';
import { createRuleRegistry, RuleRegistry, type RulePlugin } from '@metertwin/rules';
import { CONFIG } from '@metertwin/service-kit';
import type { NotifyEnv } from './config.js';

/**
 * The rule types notify knows: the built-ins, the modules of RULE_PLUGINS (which the portal loads
 * too, so it can create and edit those rules) and whatever a deployment passes to `startNotify`
 * (`rulePlugins`). This is the one place to register them; the reading handler, the timer and the
 * rules API use this registry. A type registered twice stops the service at start.
 */
export function ruleRegistryProvider(extraPlugins: readonly RulePlugin[] = []): Provider {
  return {
    provide: RuleRegistry,
    useFactory: (config: NotifyEnv) => createRuleRegistry(config.RULE_PLUGINS, extraPlugins),
    inject: [CONFIG],
  };
}
