import type { DrumResult } from './assemble.js';
import { tickDigits, toTicks } from './counter.js';
import { evaluateReading, type EvaluateReadingInput, type ReadingEvaluation } from './evaluate.js';

/** What a cloud OCR read on each drum (not on pointer dials), most significant first. */
export interface OcrDrumReading {
  digit: number | null;
  confidence: number;
}

export type OcrEffect =
  /** The OCR changed nothing. */
  | 'none'
  /** Unsure drums confirmed by the OCR: a needs_review reading settled. */
  | 'settled'
  /** The OCR confidently reads another value: the reading goes to review. */
  | 'conflict';

export interface SecondOpinion {
  evaluation: ReadingEvaluation;
  /** The OCR's digits as text, "?" where it read nothing: "0123?.567" is shown without the point. */
  ocrDigits: string;
  /** Every drum the OCR read matches the kept value (a mid-roll drum may show either neighbour). */
  agrees: boolean;
  effect: OcrEffect;
}

/** Below this, an OCR character is not evidence either way. */
export const DEFAULT_MIN_OCR_CONFIDENCE = 0.8;

/**
 * Weighs a cloud OCR's reading of the drums against the evaluated reading. The policy, chosen so that
 * the OCR can never make a wrong value accepted on its own:
 *
 * - It can settle only a `needs_review` reading whose sole problem is a drum's confidence: re-judged
 *   without the confidence check, the history rules must accept (or correct) it without re-anchoring,
 *   AND the OCR must have read every drum with at least `minOcrConfidence`, each exactly the digit of
 *   that value. Then two independent readers agree and the history finds the step plausible.
 * - A confident OCR that reads a different digit on a drum at rest turns `accepted` or `corrected`
 *   into `needs_review` (a conflict for an operator), never the other way round.
 * - It never changes `rejected` (the history rules decide those; consistent rejects still re-anchor),
 *   and a partial or unsure OCR answer changes nothing.
 */
export function weighSecondOpinion(
  input: EvaluateReadingInput,
  evaluation: ReadingEvaluation,
  ocr: OcrDrumReading[],
  minOcrConfidence = DEFAULT_MIN_OCR_CONFIDENCE,
): SecondOpinion {
  const drumCount = input.shape.digits - (input.shape.pointers ?? 0);
  const drums = input.drums.slice(0, drumCount);
  if (ocr.length !== drumCount) throw new Error(`expected ${drumCount} OCR drums, got ${ocr.length}`);
  const ocrDigits = ocr.map((d) => (d.digit === null ? '?' : String(d.digit))).join('');
  const sure = ocr.every((d) => d.digit !== null && d.confidence >= minOcrConfidence);
  const keptDigits = drumDigits(evaluation.numeric, input, drumCount);
  const agrees = ocr.every(
    (d, i) => d.digit !== null && visible(drums[i]!, keptDigits[i]!).includes(d.digit),
  );
  const result = (effect: OcrEffect, changed = evaluation): SecondOpinion => ({
    evaluation: changed,
    ocrDigits,
    agrees,
    effect,
  });

  if (evaluation.status === 'rejected' || !sure) return result('none');
  if (evaluation.status === 'needs_review') {
    const lowConfidence = input.assembled.confidence < input.rules.minConfidence;
    if (!lowConfidence) return result('none');
    const byHistory = evaluateReading({ ...input, rules: { ...input.rules, minConfidence: 0 } });
    if (byHistory.status !== 'accepted' && byHistory.status !== 'corrected') return result('none');
    if (byHistory.reanchored) return result('none');
    const exact = drumDigits(byHistory.numeric, input, drumCount).every(
      (digit, i) => ocr[i]!.digit === digit,
    );
    if (!exact) return result('none');
    return result('settled', {
      ...byHistory,
      reason: joinReasons(`unsure drums confirmed by the cloud OCR (${ocrDigits})`, byHistory.reason),
    });
  }
  if (agrees) return result('none');
  return result('conflict', {
    ...evaluation,
    status: 'needs_review',
    reason: joinReasons(
      `the cloud OCR reads ${ocrDigits} where the drums give ${keptDigits.join('')}`,
      evaluation.reason,
    ),
  });
}

/** The drum digits of a counter value (pointer dials left out). */
function drumDigits(numeric: number, input: EvaluateReadingInput, drumCount: number): number[] {
  return tickDigits(toTicks(numeric, input.shape), input.shape).slice(0, drumCount);
}

/** The digits a drum may show: its own, and the neighbour it is rolling towards when caught mid-roll. */
function visible(drum: DrumResult, digit: number): number[] {
  const forward = (((drum.value - digit) % 10) + 10) % 10;
  const offset = forward > 5 ? forward - 10 : forward;
  if (offset >= 0.3) return [digit, (digit + 1) % 10];
  if (offset <= -0.3) return [digit, (digit + 9) % 10];
  return [digit];
}

function joinReasons(...reasons: (string | null)[]): string {
  return reasons.filter((r) => r !== null).join('; ');
}
