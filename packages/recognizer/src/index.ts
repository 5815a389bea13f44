import path from 'node:path';
import { fileURLToPath } from 'node:url';

export { DIGIT_INPUT, IMAGE_EXTENSIONS, isImageFile, preprocessCrop, sourceToRgb, standardize } from './input.js';
export type { DigitSource } from './input.js';
export { decodeBmp } from './bmp.js';
export { initBackend } from './backend.js';
export type { BackendName } from './backend.js';
export { DEFAULT_DIGIT_DATA, labelFromName, loadDigitDataset, scanDigitFolder } from './dataset.js';
export type { DigitDataset, DigitSample, Split } from './dataset.js';
export { buildDigitModel, NUM_CLASSES } from './model.js';
export { decodeProbabilities } from './decode.js';
export type { DigitPrediction } from './decode.js';
export { scoreDigits } from './metrics.js';
export type { DigitReport, DigitScores } from './metrics.js';
export { trainDigits } from './train.js';
export type { DigitTrainingReport, TrainDigitsOptions, TrainDigitsResult } from './train.js';

/** The committed digit model: packages/recognizer/models/digits (same path from src/ and dist/). */
export const DEFAULT_DIGIT_MODEL_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../models/digits');
