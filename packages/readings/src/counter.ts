import type { CounterShape } from './assemble.js';

// Counter arithmetic runs on integer steps of the last drum ("ticks") so that 0.1 + 0.2 stays 0.3.

/** Counter units per step of the last drum: 0.001 with three decimals. */
export function stepSize(shape: CounterShape): number {
  return 10 ** -shape.decimals;
}

export function toTicks(value: number, shape: CounterShape): number {
  return Math.round(value * 10 ** shape.decimals);
}

export function fromTicks(ticks: number, shape: CounterShape): number {
  return ticks / 10 ** shape.decimals;
}

/** Ticks in one turn of the counter: it wraps from 99999.9 (10^6 - 1 ticks) to 0. */
export function ticksPerTurn(shape: CounterShape): number {
  return 10 ** shape.digits;
}

/**
 * Ticks from `from` to `to` the shorter way round the counter: 99999.9 → 00000.2 is +3 ticks (a wrap),
 * 1234.5 → 1230.1 is -44 (a decrease), never the other way round.
 */
export function signedStep(from: number, to: number, shape: CounterShape): number {
  const turn = ticksPerTurn(shape);
  const forward = (((to - from) % turn) + turn) % turn;
  return forward > turn / 2 ? forward - turn : forward;
}

/** Drum digits of a tick count, most significant first. */
export function tickDigits(ticks: number, shape: CounterShape): number[] {
  return String(ticks).padStart(shape.digits, '0').split('').map(Number);
}

/** The counter as it shows a tick count: "01234.567". */
export function counterText(ticks: number, shape: CounterShape): string {
  const all = tickDigits(ticks, shape).join('');
  const integer = all.slice(0, shape.digits - shape.decimals);
  return shape.decimals > 0 ? `${integer}.${all.slice(shape.digits - shape.decimals)}` : integer;
}
