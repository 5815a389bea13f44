import { z } from 'zod';
import { DRIVE_SETTINGS } from './drive.js';
import { DEFAULT_MIN_CONFIDENCE } from './status.js';

/** `Meter.readingRules`: how a new reading must relate to the meter's history. `{}` gives the defaults. */
export const ReadingRulesSchema = z.object({
  /** Bidirectional meters may run backwards; for the others a decrease is a misread. */
  allowNegative: z.boolean().default(false),
  /** Counter units per hour above which a step is a misread; unset: no limit. */
  maxFlowPerHour: z.number().positive().optional(),
  /**
   * On a meter that may not run backwards, a decrease up to this many counter units is the last drum
   * wobbling at rest: kept as "no change". Unset: one step of the last drum (0.001 with three decimals).
   */
  idleJitter: z.number().nonnegative().optional(),
  /** The reanchorAfter-th consistent reading in a row that breaks the rules is accepted as the new anchor. */
  reanchorAfter: z.int().min(2).default(3),
  /**
   * How far (counter units) one of those readings may step back from the one before and still agree
   * with it. Unset: idleJitter.
   */
  reanchorTolerance: z.number().nonnegative().optional(),
  /** Below this, a drum's confidence sends the reading to an operator. */
  minConfidence: z.number().min(0).max(1).default(DEFAULT_MIN_CONFIDENCE),
  /** How the drums drive each other (drive.ts); a photo whose drums contradict it goes to review. */
  drive: z.enum(DRIVE_SETTINGS).default('auto'),
});

export type ReadingRules = z.output<typeof ReadingRulesSchema>;
