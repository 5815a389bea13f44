import type { AugmentOptions } from './augment.js';
import { DEFAULT_DIGIT_DATA, DEFAULT_POINTER_DATA, type ScanOptions } from './dataset.js';
import { DIGIT_INPUT, type InputShape, POINTER_INPUT } from './input.js';
import { DEFAULT_DIGIT_MODEL_DIR, DEFAULT_POINTER_MODEL_DIR } from './paths.js';

/** The two recognizers: drum digits and pointer dials. Same head (tenths 0.0–9.9), same code. */
export type RecognizerKind = 'digits' | 'pointers';
export const RECOGNIZER_KINDS: readonly RecognizerKind[] = ['digits', 'pointers'];

export interface KindSpec {
  input: InputShape;
  defaultData: string;
  defaultModelDir: string;
  /** How a folder without a split column is split. */
  scan: ScanOptions;
  augment: AugmentOptions;
  /** Width (in tenths) of the circular Gaussian training target; unset: 0.8/0.1/0.1. */
  targetSigma?: number;
  /** Fit the temperature on augmented views of the held-out crops (fit-calibration.ts) rather than on the crops. */
  calibrateAugmented: boolean;
  /** Train meters held out to fit the confidence temperature (default: chosen by name hash). */
  calibrationMeters?: readonly string[];
}

export const KINDS: Record<RecognizerKind, KindSpec> = {
  digits: {
    input: DIGIT_INPUT,
    defaultData: DEFAULT_DIGIT_DATA,
    defaultModelDir: DEFAULT_DIGIT_MODEL_DIR,
    scan: {},
    augment: { window: true, maxTiltDegrees: 4 },
    // Unseen meters differ in style from the train meters: calibrate under augmentation.
    calibrateAugmented: true,
  },
  pointers: {
    input: POINTER_INPUT,
    defaultData: DEFAULT_POINTER_DATA,
    defaultModelDir: DEFAULT_POINTER_MODEL_DIR,
    // The needle set is one meter's pointers: zeiger4 is never trained on, zeigeru calibrates.
    scan: { valMeters: ['zeiger4'] },
    // Turning a dial crop about its centre turns the pointer: the label turns with it.
    augment: { window: false, maxRotationSteps: 1.5 },
    targetSigma: 1.5,
    calibrateAugmented: false,
    calibrationMeters: ['zeigeru'],
  },
};

export function parseKind(kind: string | undefined): RecognizerKind {
  if (kind === 'digits' || kind === 'pointers') return kind;
  throw new Error(`kind must be 'digits' or 'pointers', got '${kind ?? ''}'`);
}
