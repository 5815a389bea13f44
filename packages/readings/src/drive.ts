import { z } from 'zod';
import type { CounterShape, DrumResult } from './assemble.js';

/**
 * How a counter's drums drive each other. `jump`: a drum moves only while the drum to its right passes
 * from 9 to 0 (a Geneva drive), so it rests on a digit the rest of the time. `continuous`: every drum
 * turns a tenth of its right neighbour's turn, so it always stands that neighbour's tenth past its digit.
 */
export type Drive = 'jump' | 'continuous';
/** A meter's setting: one drive, or `auto` when either is fine. */
export type DriveSetting = Drive | 'auto';
export const DRIVE_SETTINGS = ['auto', 'jump', 'continuous'] as const satisfies readonly DriveSetting[];

/** A drum this far from its nearest digit is between two (closer is the recognizer's error). */
const BETWEEN_DIGITS = 0.3;
/** A right neighbour this close to 9.5 may be passing from 9 to 0, give or take the recognizer's error. */
const CARRY_REACH = 1.5;
/** Under a continuous drive a drum's fraction is a tenth of its neighbour's position, give or take this. */
const OUT_OF_STEP = 0.3;

export type DriveCheck = { drive: Drive; contradiction: null } | { drive: null; contradiction: string };

/**
 * Which drive the drums' positions agree with: the meter's own, or under `auto` the one they fit
 * closer (jump on a tie: a 3.1 next to a 1.0 fits both, a 1.9 read as 2.0 next to a 9.0 fits a
 * continuous drive closer). A photo whose drums fit no allowed drive (a misread neighbour, a stuck
 * drum, crops of two moments) has no single true value: `contradiction` says which drum and why. Only
 * pairs of drums are checked; pointer dials always turn continuously.
 */
export function checkDrive(drums: DrumResult[], shape: CounterShape, setting: DriveSetting): DriveCheck {
  const allowed: Drive[] = setting === 'auto' ? ['jump', 'continuous'] : [setting];
  const fits = allowed.map((drive) => ({ drive, ...fit(drums, shape, drive) }));
  const fitting = fits.filter((f) => f.misfit === null).sort((a, b) => a.residual - b.residual)[0];
  if (fitting) return { drive: fitting.drive, contradiction: null };
  return {
    drive: null,
    contradiction: `drums contradict a ${setting === 'auto' ? 'jump or continuous' : setting} drive: ${fits.map((f) => f.misfit).join('; ')}`,
  };
}

/**
 * How the drums fit a drive: the first pair of neighbouring drums it cannot produce, described (null
 * if none), and the summed distance of the drums from where it puts them.
 */
function fit(drums: DrumResult[], shape: CounterShape, drive: Drive): { misfit: string | null; residual: number } {
  const lastDrum = shape.digits - (shape.pointers ?? 0) - 1;
  let residual = 0;
  for (let i = 0; i < lastDrum; i++) {
    const position = wrap(drums[i]!.value);
    const right = wrap(drums[i + 1]!.value);
    const at = `drum ${i} at ${position.toFixed(1)}, drum ${i + 1} at ${right.toFixed(1)}`;
    if (drive === 'jump') {
      // Passing 9 → 0, the neighbour may carry this drum anywhere between two digits.
      const off = circular(right, 9.5, 10) <= CARRY_REACH ? 0 : Math.abs(position - Math.round(position));
      if (off >= BETWEEN_DIGITS) return { misfit: `${at} (between digits while its neighbour is not passing 9→0)`, residual };
      residual += off;
    } else {
      const off = circular(position - Math.floor(position), right / 10, 1);
      if (off >= OUT_OF_STEP) return { misfit: `${at} (not a tenth of its neighbour's turn past its digit)`, residual };
      residual += off;
    }
  }
  return { misfit: null, residual };
}

function circular(a: number, b: number, period: number): number {
  const d = Math.abs(a - b) % period;
  return Math.min(d, period - d);
}

function wrap(value: number): number {
  return ((value % 10) + 10) % 10;
}

/** Reviewed readings that fit one drive only, needed before a meter's drive counts as learned. */
export const LEARN_MIN_READINGS = 3;
/** Share of those that must show the same drive: one photo with a misread drum neither decides nor blocks it. */
const LEARN_AGREEMENT = 0.9;

/**
 * The one drive a photo's drums fit, or null when they fit both (drums on their digits next to low
 * neighbours: 1.0 next to 0.2) or neither (a misread drum). Only such photos tell the drives apart.
 */
export function onlyDrive(drums: DrumResult[], shape: CounterShape): Drive | null {
  const jump = checkDrive(drums, shape, 'jump').drive !== null;
  const continuous = checkDrive(drums, shape, 'continuous').drive !== null;
  return jump === continuous ? null : jump ? 'jump' : 'continuous';
}

/** A stored reading's drums and dials (Reading.digits as recognize writes it: dials carry kind 'pointer'). */
const StoredDrumsSchema = z.array(z.object({ value: z.number(), confidence: z.number(), kind: z.literal('pointer').optional() })).min(2);

/** `onlyDrive` of a stored reading (Reading.digits); null when the column holds no drums. */
export function onlyDriveOfStored(digits: unknown): Drive | null {
  const parsed = StoredDrumsSchema.safeParse(digits);
  if (!parsed.success) return null;
  const pointers = parsed.data.filter((d) => d.kind === 'pointer').length;
  // The shape withPointers gives; decimals do not change how drums drive each other.
  return onlyDrive(parsed.data, { digits: parsed.data.length, decimals: pointers, pointers });
}

export interface DriveDecision {
  /** The meter's drive as its reviewed readings show it; null: not known yet (or they disagree). */
  drive: Drive | null;
  /** learned; too few readings tell the drives apart; or they show both drives in earnest. */
  outcome: 'learned' | 'too_few' | 'both';
  reason: string;
  figures: { readings: number; jump: number; continuous: number };
}

/**
 * A meter's drive from its reviewed readings (`onlyDrive` of each: what an operator confirmed, never an
 * unreviewed reading, so the model's own guesses teach nothing). Learned when at least
 * `LEARN_MIN_READINGS` of them fit one drive only and at least 90% of those show the same one; readings
 * that show both drives in earnest point to a wrong layout or a misread drum, and leave it unknown.
 */
export function learnDrive(evidence: readonly (Drive | null)[]): DriveDecision {
  const jump = evidence.filter((d) => d === 'jump').length;
  const continuous = evidence.filter((d) => d === 'continuous').length;
  const figures = { readings: evidence.length, jump, continuous };
  const drive: Drive = jump >= continuous ? 'jump' : 'continuous';
  const shown = Math.max(jump, continuous);
  if (shown < LEARN_MIN_READINGS) {
    return { drive: null, outcome: 'too_few', reason: `${shown} reviewed reading(s) of ${evidence.length} tell the drives apart, ${LEARN_MIN_READINGS} needed`, figures };
  }
  if (shown < LEARN_AGREEMENT * (jump + continuous)) {
    return { drive: null, outcome: 'both', reason: `reviewed readings show both drives (${jump} jump, ${continuous} continuous): check the layout`, figures };
  }
  return { drive, outcome: 'learned', reason: `${shown} of the ${jump + continuous} reviewed readings that tell the drives apart show a ${drive} drive`, figures };
}

/** The drive a reading is judged with: the meter's setting, or under `auto` the drive learned from its reviews. */
export function effectiveDrive(setting: DriveSetting, learned: Drive | null | undefined): DriveSetting {
  return setting === 'auto' && learned ? learned : setting;
}
