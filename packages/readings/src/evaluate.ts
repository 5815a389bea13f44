import type { AssembledValue, CounterShape, DrumResult } from './assemble.js';
import type { TimedValue } from './consumption.js';
import { alternativeValues, type DigitCorrection } from './corrections.js';
import { counterText, fromTicks, stepSize, toTicks } from './counter.js';
import type { ReadingRules } from './rules.js';
import { judge, type ReadingStatus } from './status.js';
import { checkStep, type StepCheck, type StepLimits } from './step.js';

export interface ReadingHistory {
  /** The meter's last accepted or corrected reading; null before its first. */
  previous: TimedValue | null;
  /** Readings rejected since `previous`, oldest first. */
  rejected: TimedValue[];
  /**
   * The meter's earliest accepted or corrected reading taken AFTER this one, if it was stored first (the
   * photos were processed out of order, e.g. by several replicas): the reading must also lead to it.
   */
  next?: TimedValue | null;
}

export interface EvaluateReadingInput {
  /** The recognizer's drum positions, most significant first. */
  drums: DrumResult[];
  /** assembleValue(drums, shape, rules.drive). */
  assembled: AssembledValue;
  shape: CounterShape;
  history: ReadingHistory;
  takenAt: Date;
  rules: ReadingRules;
  /** The counter's unit, for reasons ("m3"). */
  unit?: string;
}

export interface ReadingEvaluation {
  status: ReadingStatus;
  /** The counter as it shows the value kept: "01234.567". */
  value: string;
  numeric: number;
  /** The weakest drum's confidence. */
  confidence: number;
  /** Why the status is not a plain `accepted`, or what was adjusted; null otherwise. */
  reason: string | null;
  /** Drums whose digit the history changed (status `corrected`). */
  corrections: DigitCorrection[];
  /** The reading replaced a previous value that later readings consistently contradicted. */
  reanchored: boolean;
  /** Counter units since the previous accepted reading; null without one or after a re-anchor. */
  consumption: number | null;
  flowPerHour: number | null;
}

/**
 * Decides what a reading is worth given the meter's history, in this order: accepted as read, kept as
 * "no change" within the idle jitter, re-anchored after consistent contradictions, corrected on one
 * mid-roll drum, or rejected with the rule it breaks. Low confidence sends anything not rejected to review,
 * and so do drums that contradict the meter's drive (before any history rule). Drums that two drives
 * read differently (`assembled.alternative`) are judged with the one value the history allows, else
 * sent to review with both.
 */
export function evaluateReading(input: EvaluateReadingInput): ReadingEvaluation {
  return checkAgainstNext(input, evaluateAgainstPrevious(input));
}

/**
 * A reading judged between its neighbours in time: whatever the previous reading allows, a value the
 * later accepted reading contradicts is not vouched for (it goes to review, not rejected: which of the
 * two is wrong is for an operator to say).
 */
function checkAgainstNext(input: EvaluateReadingInput, result: ReadingEvaluation): ReadingEvaluation {
  const next = input.history.next;
  if (!next || (result.status !== 'accepted' && result.status !== 'corrected')) return result;
  const step = checkStep({ numeric: result.numeric, takenAt: input.takenAt }, next, input.shape, limitsOf(input));
  if (!step.broken) return result;
  const show = (value: number) => value.toFixed(input.shape.decimals);
  const why = `the later accepted reading ${show(next.numeric)} (${next.takenAt.toISOString()}) does not follow from it: ${describeBreak(step, { numeric: result.numeric, takenAt: input.takenAt }, next, show, input.unit ?? 'units', limitsOf(input))}`;
  return { ...result, status: 'needs_review', reason: joinReasons(result.reason, why) };
}

function evaluateAgainstPrevious(input: EvaluateReadingInput): ReadingEvaluation {
  const { assembled, shape, history } = input;
  const alternative = assembled.alternative;
  if (!alternative) return evaluateValue(input);
  const [asJump, asContinuous] = alternative.drive === 'jump' ? [alternative.text, assembled.text] : [assembled.text, alternative.text];
  const both = `the drums fit a jump and a continuous drive, which read ${asJump} and ${asContinuous}`;
  const asOther: AssembledValue = { ...assembled, ...alternative, alternative: null };
  const previous = history.previous;
  const allowed = previous
    ? [{ ...assembled, alternative: null }, asOther].filter(
        (value) => !checkStep(previous, { numeric: value.numeric, takenAt: input.takenAt }, shape, limitsOf(input)).broken,
      )
    : [];
  if (allowed.length !== 1) {
    const why = previous ? (allowed.length === 0 ? 'the history allows neither' : 'the history allows both') : 'no history to choose';
    return { ...evaluateValue({ ...input, assembled: { ...assembled, alternative: null } }), status: 'needs_review', reason: `${both}: ${why}; the meter's drive decides` };
  }
  const settled = evaluateValue({ ...input, assembled: allowed[0]! });
  return { ...settled, reason: joinReasons(settled.reason, `${both}: the history allows only ${allowed[0]!.text}`) };
}

function limitsOf({ rules, shape }: EvaluateReadingInput): StepLimits {
  return {
    allowNegative: rules.allowNegative,
    maxFlowPerHour: rules.maxFlowPerHour,
    jitter: rules.idleJitter ?? stepSize(shape),
  };
}

/** evaluateReading for drums with a single value. */
function evaluateValue(input: EvaluateReadingInput): ReadingEvaluation {
  const { assembled, shape, history, rules } = input;
  const current: TimedValue = { numeric: assembled.numeric, takenAt: input.takenAt };
  const limits = limitsOf(input);
  const confident = judge(assembled, { minConfidence: rules.minConfidence });
  const asRead: ReadingEvaluation = {
    status: 'accepted',
    value: assembled.text,
    numeric: assembled.numeric,
    confidence: assembled.confidence,
    reason: null,
    corrections: [],
    reanchored: false,
    consumption: null,
    flowPerHour: null,
  };
  const withConfidence = (result: ReadingEvaluation): ReadingEvaluation =>
    confident.status === 'accepted' || result.status === 'rejected'
      ? result
      : { ...result, status: 'needs_review', reason: joinReasons(confident.reason, result.reason) };
  const show = (value: number) => value.toFixed(shape.decimals);

  // Drums that no drive of the meter can produce show no single true value: an operator decides.
  if (assembled.contradiction) {
    return { ...asRead, status: 'needs_review', reason: joinReasons(assembled.contradiction, confident.reason) };
  }
  const previous = history.previous;
  if (!previous) return withConfidence({ ...asRead, reason: 'first reading: no history to check against' });
  if (current.takenAt < previous.takenAt) {
    return {
      ...asRead,
      status: 'needs_review',
      reason: `taken before the previous accepted reading (${previous.takenAt.toISOString()}): history rules not applied`,
    };
  }

  const step = checkStep(previous, current, shape, limits);
  const derived = { consumption: step.consumption, flowPerHour: step.flowPerHour };
  if (step.jitter) {
    const kept = toTicks(previous.numeric, shape);
    return withConfidence({
      ...asRead,
      value: counterText(kept, shape),
      numeric: fromTicks(kept, shape),
      consumption: 0,
      flowPerHour: step.flowPerHour === null ? null : 0,
      reason: `idle jitter: ${show(previous.numeric)} → ${show(current.numeric)} is within ${limits.jitter}, kept as no change`,
    });
  }
  if (!step.broken) return withConfidence({ ...asRead, ...derived });

  const broken = describeBreak(step, previous, current, show, input.unit ?? 'units', limits);
  // Readings that agree with each other outweigh the one they contradict: no drum is corrected towards it.
  const chain = [...history.rejected.slice(-(rules.reanchorAfter - 1)), current];
  if (
    confident.status === 'accepted' &&
    chain.length === rules.reanchorAfter &&
    isConsistent(chain, input, limits)
  ) {
    return {
      ...asRead,
      reanchored: true,
      reason:
        `re-anchored after ${rules.reanchorAfter} consistent readings: the previous value ` +
        `${show(previous.numeric)} was likely wrong or the meter was replaced`,
    };
  }
  const correction = bestCorrection(input, previous, limits);
  if (correction) {
    const changes = correction.corrections.map((c) => `drum ${c.index} ${c.from} → ${c.to}`).join(', ');
    return withConfidence({
      ...asRead,
      status: 'corrected',
      value: counterText(correction.ticks, shape),
      numeric: fromTicks(correction.ticks, shape),
      corrections: correction.corrections,
      consumption: correction.step.consumption,
      flowPerHour: correction.step.flowPerHour,
      reason: `mid-roll drum corrected (${changes}); as read: ${broken}`,
    });
  }
  return { ...asRead, ...derived, status: 'rejected', reason: broken };
}

/** Of the one-drum alternatives that obey the rules, the one closest to the previous value (ahead of it first). */
function bestCorrection(input: EvaluateReadingInput, previous: TimedValue, limits: StepLimits) {
  const { drums, assembled, shape, takenAt } = input;
  const ticks = toTicks(assembled.numeric, shape);
  const plausible = alternativeValues(drums, assembled.digits, ticks, shape)
    .map((alternative) => ({
      ...alternative,
      step: checkStep(previous, { numeric: fromTicks(alternative.ticks, shape), takenAt }, shape, limits),
    }))
    .filter((a) => !a.step.broken && !a.step.jitter);
  plausible.sort(
    (a, b) =>
      Math.abs(a.step.consumption) - Math.abs(b.step.consumption) || b.step.consumption - a.step.consumption,
  );
  return plausible[0];
}

/** Readings agree when each follows from the one before within the rules, give or take the tolerance. */
function isConsistent(chain: TimedValue[], input: EvaluateReadingInput, limits: StepLimits): boolean {
  const tolerant = { ...limits, jitter: input.rules.reanchorTolerance ?? limits.jitter };
  return chain.slice(1).every((value, i) => !checkStep(chain[i]!, value, input.shape, tolerant).broken);
}

function describeBreak(
  step: StepCheck,
  previous: TimedValue,
  current: TimedValue,
  show: (value: number) => string,
  unit: string,
  limits: StepLimits,
): string {
  const change = `${show(previous.numeric)} → ${show(current.numeric)}`;
  if (step.broken === 'negative') return `negative flow: ${change}`;
  return (
    `flow ${round(step.flowPerHour ?? 0)} ${unit}/h above the plausible ${limits.maxFlowPerHour} ${unit}/h ` +
    `(${change} in ${round(step.hours)} h)`
  );
}

function round(value: number): number {
  return Number(value.toFixed(Math.abs(value) >= 100 ? 0 : 3));
}

function joinReasons(...reasons: (string | null)[]): string {
  return reasons.filter((r) => r !== null).join('; ');
}
