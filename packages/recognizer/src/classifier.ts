import type { CropImage } from '@metertwin/contracts';
import { initBackend } from './backend.js';
import type { DigitPrediction } from './decode.js';
import { type DigitSource, sourceToRgb } from './input.js';
import { loadLayersModelFromDir } from './io.js';
import { predictDigits } from './predict.js';
import { DEFAULT_DIGIT_MODEL_DIR } from './paths.js';

export interface DigitClassifier {
  /** First 12 hex digits of the SHA-256 of the model's weights file. */
  version: string;
  /**
   * Classify crops in one batch (internally split into batches of 256). Each crop is resized to
   * 20x32 RGB when it has another size. Accepts image file paths too (jpg, png, bmp).
   * `confidence` is the softmax mass of the predicted tenth and its two neighbours (±0.1).
   */
  classify(crops: Array<CropImage | DigitSource>): Promise<DigitPrediction[]>;
  dispose(): void;
}

/**
 * Load the digit model from `modelDir` (default: the committed model in
 * packages/recognizer/models/digits, resolved from this file so it works from src and dist).
 */
export async function loadDigitClassifier(modelDir: string = DEFAULT_DIGIT_MODEL_DIR): Promise<DigitClassifier> {
  await initBackend();
  const { model, version } = await loadLayersModelFromDir(modelDir);
  return {
    version,
    async classify(crops) {
      if (crops.length === 0) return [];
      const rgbs = await Promise.all(crops.map((c) => sourceToRgb(c)));
      await initBackend();
      return predictDigits(model, rgbs);
    },
    dispose() {
      model.dispose();
    },
  };
}
