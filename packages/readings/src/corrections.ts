import type { CounterShape, DrumResult } from './assemble.js';
import { ticksPerTurn, tickDigits } from './counter.js';

/** One drum whose digit history changed: `index` counts drums from the most significant. */
export interface DigitCorrection {
  index: number;
  from: number;
  to: number;
}

export interface AlternativeValue {
  ticks: number;
  corrections: DigitCorrection[];
}

/**
 * A drum this far (in tenths of a digit) from the digit it was given is caught mid-roll: it may just as
 * well show the neighbouring digit on that side. Closer than this, the drum rests on its digit.
 */
const MID_ROLL = 0.3;

/**
 * The values the counter may show if one mid-roll drum was given the wrong one of its two digits: that
 * drum one up or down, carried like the counter would (the tens drum of 1290.0 one up gives 1300.0, the
 * last drum of 9999.9 one up gives 0000.0).
 */
export function alternativeValues(
  drums: DrumResult[],
  digits: number[],
  ticks: number,
  shape: CounterShape,
): AlternativeValue[] {
  const turn = ticksPerTurn(shape);
  const alternatives: AlternativeValue[] = [];
  drums.forEach((drum, index) => {
    const offset = circularOffset(drum.value, digits[index]!);
    if (Math.abs(offset) < MID_ROLL) return;
    const place = 10 ** (shape.digits - 1 - index);
    const alternative = (((ticks + Math.sign(offset) * place) % turn) + turn) % turn;
    const changed = tickDigits(alternative, shape);
    alternatives.push({
      ticks: alternative,
      corrections: changed.flatMap((to, i) => (to === digits[i] ? [] : [{ index: i, from: digits[i]!, to }])),
    });
  });
  return alternatives;
}

/** Where a drum stands relative to a digit, in (-5, 5]: 9.7 is -0.3 from 0, 0.2 is +0.2. */
function circularOffset(position: number, digit: number): number {
  const forward = (((position - digit) % 10) + 10) % 10;
  return forward > 5 ? forward - 10 : forward;
}
