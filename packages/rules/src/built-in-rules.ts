import { budgetRule } from './budget.rule.js';
import { consumptionRule } from './consumption.rule.js';
import { continuousFlowRule } from './continuous-flow.rule.js';
import { flowRateRule } from './flow-rate.rule.js';
import { noReadingRule } from './no-reading.rule.js';
import type { RulePlugin } from './plugin.js';
import { stuckReviewRule } from './stuck-review.rule.js';
import { suddenJumpRule } from './sudden-jump.rule.js';
import { thresholdRule } from './threshold.rule.js';

/** The rule types MeterTwin ships with. */
export const builtInRules: readonly RulePlugin[] = [
  thresholdRule,
  flowRateRule,
  consumptionRule,
  continuousFlowRule,
  noReadingRule,
  stuckReviewRule,
  suddenJumpRule,
  budgetRule,
];
