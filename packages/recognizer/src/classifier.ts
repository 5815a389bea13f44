import type { CropImage } from '@metertwin/contracts';
import { initBackend } from './backend.js';
import { readCalibration } from './calibration.js';
import type { DigitPrediction } from './decode.js';
import { type DigitSource, sourceToRgb } from './input.js';
import { loadLayersModelFromDir } from './io.js';
import { DEFAULT_DIGIT_MODEL_DIR, DEFAULT_POINTER_MODEL_DIR } from './paths.js';
import { modelInputShape, predictDigits } from './predict.js';

export interface DigitClassifier {
  /** First 12 hex digits of the SHA-256 of the model's weights file. */
  version: string;
  /**
   * Classify crops in one batch (internally split into batches of 256). Each crop is resized to
   * 20x32 RGB when it has another size. Accepts image file paths too (jpg, png, bmp).
   * `confidence` is the softmax mass of the predicted tenth and its two neighbours (±0.1), after
   * the model's temperature scaling (calibration.json), so it estimates P(within ±0.1).
   */
  classify(crops: Array<CropImage | DigitSource>): Promise<DigitPrediction[]>;
  dispose(): void;
}

/** A pointer dial's reading: value 0.0–9.9 and the calibrated confidence (as for digits). */
export interface PointerPrediction {
  value: number;
  confidence: number;
}

export interface PointerClassifier {
  version: string;
  /** Classify dial crops (any size, resized to 32x32 RGB) or image paths. */
  classify(crops: Array<CropImage | DigitSource>): Promise<PointerPrediction[]>;
  dispose(): void;
}

async function loadModel(modelDir: string) {
  await initBackend();
  const { model, version } = await loadLayersModelFromDir(modelDir);
  const { temperature, head, shifts, quickAccept } = await readCalibration(modelDir);
  const shape = modelInputShape(model);
  const run = async (crops: Array<CropImage | DigitSource>): Promise<DigitPrediction[]> => {
    if (crops.length === 0) return [];
    const rgbs = await Promise.all(crops.map((c) => sourceToRgb(c, shape)));
    await initBackend();
    return predictDigits(model, rgbs, { temperature, head, shifts, quickAccept });
  };
  return { version, run, dispose: () => model.dispose() };
}

/**
 * Load the digit model from `modelDir` (default: the committed model in
 * packages/recognizer/models/digits, resolved from this file so it works from src and dist).
 */
export async function loadDigitClassifier(modelDir: string = DEFAULT_DIGIT_MODEL_DIR): Promise<DigitClassifier> {
  const m = await loadModel(modelDir);
  return { version: m.version, classify: m.run, dispose: m.dispose };
}

/** Load the pointer model (default: the committed one in packages/recognizer/models/pointers). */
export async function loadPointerClassifier(modelDir: string = DEFAULT_POINTER_MODEL_DIR): Promise<PointerClassifier> {
  const m = await loadModel(modelDir);
  return {
    version: m.version,
    async classify(crops) {
      return (await m.run(crops)).map(({ value, confidence }) => ({ value, confidence }));
    },
    dispose: m.dispose,
  };
}
