import { counterText } from './counter.js';
import { checkDrive, type Drive, type DriveSetting } from './drive.js';

/** What the recognizer says about one drum: its position in tenths (3.4 = shows 3, 0.4 of the way to 4). */
export interface DrumResult {
  value: number;
  confidence: number;
}

export interface CounterShape {
  /** Number of drums, most significant first. */
  digits: number;
  /** How many of the drums are after the decimal point. */
  decimals: number;
  /**
   * How many of the last positions are pointer dials rather than drums (each one a tenth of the one
   * before; they count among `digits` and `decimals`). withPointers() builds such a shape.
   */
  pointers?: number;
}

/** The shape of a counter whose drums are followed by `pointers` dials, each one decimal further down. */
export function withPointers(shape: CounterShape, pointers: number): CounterShape {
  return { digits: shape.digits + pointers, decimals: shape.decimals + pointers, pointers };
}

export interface AssembledValue {
  /** The counter as printed, with leading zeros and the decimal point: "01234.567". */
  text: string;
  /** The same value as a number. */
  numeric: number;
  /** Integer digit chosen for each drum, most significant first. */
  digits: number[];
  /** The weakest drum's confidence: one wrong drum makes the whole reading wrong. */
  confidence: number;
  /** The drive the drums were read with (drive.ts); null when they fit none allowed. */
  drive: Drive | null;
  /** Why the drums fit no allowed drive (the value is then the configured drive's reading, or jump's); else null. */
  contradiction: string | null;
  /**
   * Under `auto`, drums that fit both drives and read differently with each: the other drive's reading
   * (the value above is the closer fit's). evaluateReading lets the history choose, or sends it to review.
   */
  alternative: { drive: Drive; text: string; numeric: number; digits: number[] } | null;
}

/** A drum is between two digits only while the drum to its right is this close to wrapping (9.x → 0). */
const CARRY_ZONE = 2.5;
/** The last drum counts as on its next digit this close to it: the recognizer is often a tenth early there. */
const SNAP = 0.15;
/** How far below its digit the recognizer may read a drum that has not started to carry (a 2 read as 1.8). */
const EARLY = 0.3;
/** A drum this far from its nearest digit is between two (closer is the recognizer's error). */
const BETWEEN_DIGITS = 0.3;
/** How far a drum rolling with the dial to its right may be read from a tenth of that dial's turn past its digit. */
const OUT_OF_STEP = 0.3;

/**
 * Joins drum positions into a counter value, from the least significant drum up. A drum can only be
 * caught between two digits while the drum to its right is on its way from 9 to 0, and then it is as
 * far past its digit as that drum is past 9 (1299.9 → 1300.0 never reads 1200 or 1399). Anywhere else
 * it rests on a digit, so a reading of 4.9 or 5.1 is a 5 (round), also next to a drum resting on 9.
 * The last drum turns continuously: it shows the digit it has passed, unless it is within a tenth or
 * so of the next one, and then carries like any drum. Under a continuous drive (drive.ts: the
 * meter's, or under `auto` the one the drums fit) every drum is read like a pointer dial instead, so
 * a 3.5 next to a 5.0 is a 3 half-way, not a 4. Drums that fit both drives under `auto` but read
 * differently with each (a 1.9 next to an 8.9: a 2 about to arrive, or a 1 nine tenths past) have two
 * values until the meter's drive is known: `alternative` is the other one.
 */
export function assembleValue(drums: DrumResult[], shape: CounterShape, drive: DriveSetting = 'auto'): AssembledValue {
  if (drums.length !== shape.digits) {
    throw new Error(`expected ${shape.digits} drums, got ${drums.length}`);
  }
  const check = checkDrive(drums, shape, drive);
  const used: Drive = check.drive ?? (drive === 'continuous' ? 'continuous' : 'jump');
  const digits = readDigits(drums, shape, used);
  const text = textOf(digits, shape);
  const other: Drive = used === 'jump' ? 'continuous' : 'jump';
  let alternative: AssembledValue['alternative'] = null;
  if (drive === 'auto' && check.drive && checkDrive(drums, shape, other).drive === other) {
    const otherDigits = readDigits(drums, shape, other);
    const otherText = textOf(otherDigits, shape);
    if (otherText !== text) alternative = { drive: other, text: otherText, numeric: Number(otherText), digits: otherDigits };
  }
  return {
    text,
    numeric: Number(text),
    digits,
    confidence: Math.min(...drums.map((d) => d.confidence)),
    drive: check.drive,
    contradiction: check.contradiction,
    alternative,
  };
}

/** The digit each drum shows, read as `drive` turns the drums (pointer dials always continuously). */
function readDigits(drums: DrumResult[], shape: CounterShape, drive: Drive): number[] {
  const continuous = drive === 'continuous';
  const digits = new Array<number>(drums.length);
  const firstPointer = shape.digits - (shape.pointers ?? 0);
  // Where the drum to the right effectively stands, 0–10: its raw position, or its digit once at rest;
  // and whether it is moving (the last drum and the dials always turn, a drum only while it carries).
  let right: number | undefined;
  let rightMoving = false;
  for (let i = drums.length - 1; i >= 0; i--) {
    const position = wrap(drums[i]!.value);
    if ((i >= firstPointer || continuous) && right !== undefined) {
      // A pointer turns continuously with the dial to its right: it stands a tenth of that dial's turn
      // past its digit, so 3.97 with the next dial at 0.2 has arrived at 4, and 4.05 with it at 9.5 has not.
      // The last drum above the pointers is a drum like the others: the first pointer settles its roll.
      const digit = Math.round(position - right / 10);
      digits[i] = wrap(digit);
      right = wrap(digit) + right / 10;
      rightMoving = true;
      continue;
    }
    // A drum resting on 9 moves nothing: only a right neighbour on its way from 9 to 0 does, and then
    // this drum is as far past its digit as that neighbour is past 9. Just before that (the neighbour
    // read between 7.5 and 9, give or take the recognizer's error) it rests or has barely started.
    const last = right === undefined;
    const turning: boolean = !last && rightMoving && right! > 10 - CARRY_ZONE;
    // Many water meters roll the last drum with the first dial while the drums above it jump. Half-way
    // between digits while the dial is nowhere near 9 → 0, it cannot be a jump drum: read it with the
    // dial (1.5 next to a dial at 6.4 is 1.64, not a 2), when it stands where that puts it.
    if (i === firstPointer - 1 && !last && !turning && Math.abs(position - Math.round(position)) >= BETWEEN_DIGITS) {
      const rolled = Math.round(position - right! / 10);
      if (Math.abs(position - (rolled + right! / 10)) < OUT_OF_STEP) {
        digits[i] = wrap(rolled);
        right = wrap(rolled) + right! / 10;
        rightMoving = true;
        continue;
      }
    }
    const carried = turning && right! > 9;
    const digit = last
      ? Math.floor(position + SNAP)
      : !turning
        ? Math.round(position)
        : carried
          ? Math.round(position - (right! - 9))
          : Math.floor(position + EARLY);
    digits[i] = wrap(digit);
    // Where this drum stands for the one to its left: on its digit, or past it by as much as it has
    // turned, which for a carried drum is how far its neighbour is past 9 (a 0.0 read next to a 9.9 is
    // a 9 that has turned 0.9, not a 0 about to carry).
    const past = carried ? right! - 9 : turning || last ? Math.min(Math.max(position - digit, 0), 0.99) : 0;
    right = wrap(digit) + past;
    rightMoving = turning || last;
  }
  return digits;
}

/** The counter as it shows these drum digits: "01234.567". */
function textOf(digits: number[], shape: CounterShape): string {
  return counterText(Number(digits.join('')), shape);
}

function wrap(value: number): number {
  return ((value % 10) + 10) % 10;
}
