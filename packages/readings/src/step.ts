import type { CounterShape } from './assemble.js';
import { deriveConsumption, type Consumption, type TimedValue } from './consumption.js';

export interface StepLimits {
  allowNegative: boolean;
  maxFlowPerHour?: number | undefined;
  /** Counter units a non-negative meter may step back while at rest. */
  jitter: number;
}

export interface StepCheck extends Consumption {
  /** Which rule the step breaks, or null when it is plausible. */
  broken: 'negative' | 'too-fast' | null;
  /** A decrease within the jitter: the meter stood still. */
  jitter: boolean;
}

// Rule values are decimals typed by people (0.1): compare with a margin far below one drum step.
const EPSILON = 1e-9;

/** Whether a meter can plausibly have gone from `previous` to `current`. */
export function checkStep(
  previous: TimedValue,
  current: TimedValue,
  shape: CounterShape,
  limits: StepLimits,
): StepCheck {
  const step = deriveConsumption(previous, current, shape);
  const negative = step.consumption < 0 && !limits.allowNegative;
  const jitter = negative && -step.consumption <= limits.jitter + EPSILON;
  const tooFast =
    limits.maxFlowPerHour !== undefined &&
    step.flowPerHour !== null &&
    Math.abs(step.flowPerHour) > limits.maxFlowPerHour + EPSILON;
  const broken = jitter ? null : negative ? 'negative' : tooFast ? 'too-fast' : null;
  return { ...step, jitter, broken };
}
