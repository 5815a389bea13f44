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
}

/** How close to its next digit a drum must be before the drum to its right decides whether it has arrived. */
const ROLL_ZONE = 0.25;

/**
 * Joins drum positions into a counter value, from the least significant drum up. A drum near the end
 * of its turn (x.8, x.9) has arrived at its next digit only if the drum to its right has already
 * wrapped past 0; otherwise it still shows x. So 1299.9 → 1300.0 never reads 1200 or 1399.
 * A drum read exactly at its digit keeps it: telling an early read from a stepped carry needs the
 * meter's history, which the reading rules bring.
 */
export function assembleValue(drums: DrumResult[], shape: CounterShape): AssembledValue {
  if (drums.length !== shape.digits) {
    throw new Error(`expected ${shape.digits} drums, got ${drums.length}`);
  }
  const digits = new Array<number>(drums.length);
  // Where the drum to the right effectively stands: its raw position, or 0 if it just arrived at a digit.
  let rightPosition: number | undefined;
  for (let i = drums.length - 1; i >= 0; i--) {
    const position = wrap(drums[i]!.value);
    const floor = Math.floor(position);
    const arrived = rightPosition !== undefined && position - floor > 1 - ROLL_ZONE && rightPosition < 10 * ROLL_ZONE;
    digits[i] = (floor + (arrived ? 1 : 0)) % 10;
    rightPosition = arrived ? digits[i] : position;
  }
  const integerPart = digits.slice(0, shape.digits - shape.decimals).join('');
  const decimalPart = digits.slice(shape.digits - shape.decimals).join('');
  const text = shape.decimals > 0 ? `${integerPart}.${decimalPart}` : integerPart;
  return {
    text,
    numeric: Number(text),
    digits,
    confidence: Math.min(...drums.map((d) => d.confidence)),
  };
}

function wrap(value: number): number {
  return ((value % 10) + 10) % 10;
}
