// Inference: load a model, classify crops, read dials.
export { DEFAULT_DIGIT_MODEL_DIR, DEFAULT_POINTER_MODEL_DIR } from './paths.js';
export { loadDigitClassifier, loadPointerClassifier } from './classifier.js';
export type { DigitClassifier, PointerClassifier, PointerPrediction } from './classifier.js';
export { combinePointerReadings, PointerReader } from './pointer-reader.js';
export { readNeedle, type NeedleReading } from './needle-geometry.js';
export { REVIEW_THRESHOLD } from './score.js';
export { DIGIT_INPUT, POINTER_INPUT, inputValues, preprocessCrop, sourceToRgb, standardize, standardizeInto } from './input.js';
export type { DigitSource, InputShape } from './input.js';
export { decodeBmp } from './bmp.js';
export { decodeImage, IMAGE_EXTENSIONS, imageToPng, isImageFile } from './image.js';
export type { RawImage } from './image.js';
export { initBackend } from './backend.js';
export type { BackendName } from './backend.js';
export { tf } from './tf.js';
export { decodeProbabilities } from './decode.js';
export type { DigitPrediction } from './decode.js';
export { modelInputShape, modelOutputWidth, predictProbabilities, shiftCrop } from './predict.js';
export type { Inference } from './predict.js';
export { applyTemperature, fitTemperature, readCalibration, reliability, writeCalibration } from './calibration.js';
export type { Calibration, Reliability } from './calibration.js';

// Models and their data: what per-meter adaptation (adapt.ts) runs on, and what @metertwin/training builds on.
export { loadLayersModelFromDir, roundWeightsToFloat16, saveLayersModel } from './io.js';
export { buildDigitModel, NUM_CLASSES } from './model.js';
export { HEAD_NAMES, HEADS, parseHead } from './heads.js';
export type { HeadName, HeadSpec } from './heads.js';
export { KINDS, parseKind, RECOGNIZER_KINDS } from './kinds.js';
export type { RecognizerKind } from './kinds.js';
export {
  DEFAULT_DIGIT_DATA,
  DEFAULT_POINTER_DATA,
  describeDataset,
  labelFromName,
  loadDatasets,
  loadDigitDataset,
  scanDigitFolder,
  splitIndices,
} from './dataset.js';
export type { DigitDataset, DigitSample, Split } from './dataset.js';
export { augmentInto, jpegCopies } from './augment.js';
export type { AugmentOptions } from './augment.js';
export { createRng, uniform } from './random.js';
export type { Rng } from './random.js';
export { isPointerHit, isTenthHit, isTolerantHit, scoreDigits, scorePointers } from './metrics.js';
export type { DigitReport, DigitScores, PointerReport, PointerScores, ScoredPointer } from './metrics.js';

// Per-meter fine-tuning, run by the recognize service.
export { ADAPTER_FILE, ADAPTER_FILES, adaptRecognizer } from './adapt.js';
export type { AdaptOptions, AdapterReport, HeldBackScore } from './adapt.js';
