import { z } from 'zod';
import type { RulePlugin } from '@metertwin/rules';

/** A third-party rule plugin as a deployment names it in RULE_PLUGINS (never evaluated here). */
const weekendUsageRule: RulePlugin<{ above: number }> = {
  type: 'acme/weekend-usage',
  description: 'consumption on a weekend day above a limit',
  configSchema: z.object({ above: z.number().positive() }).strict(),
  historyWindow: () => 0,
  evaluate: () => ({ state: 'skip' }),
};

export const rulePlugins = [weekendUsageRule];
