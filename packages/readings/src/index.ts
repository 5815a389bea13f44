export * from './assemble.js';
export { checkDrive, DRIVE_SETTINGS, effectiveDrive, LEARN_MIN_READINGS, learnDrive, onlyDrive, onlyDriveOfStored, type Drive, type DriveCheck, type DriveDecision, type DriveSetting } from './drive.js';
export * from './status.js';
export { ReadingRulesSchema, type ReadingRules } from './rules.js';
export { deriveConsumption, type Consumption, type TimedValue } from './consumption.js';
export type { DigitCorrection } from './corrections.js';
export {
  evaluateReading,
  type EvaluateReadingInput,
  type ReadingEvaluation,
  type ReadingHistory,
} from './evaluate.js';
export { ConversionSchema, intervalEnergy, toEnergy, WATER_KWH_PER_M3_K, type Conversion } from './energy.js';
export {
  DEFAULT_MIN_OCR_CONFIDENCE,
  weighSecondOpinion,
  type OcrDrumReading,
  type OcrEffect,
  type SecondOpinion,
} from './second-opinion.js';
export {
  decideTrust,
  DEFAULT_TRUST_POLICY,
  heldForReview,
  withTrust,
  type HeldBackFigures,
  type MeterTrust,
  type TrustDecision,
  type TrustPolicy,
} from './trust.js';
export {
  DEFAULT_THRESHOLD_POLICY,
  meterThreshold,
  type HeldBackAnswer,
  type ThresholdDecision,
  type ThresholdPolicy,
} from './threshold.js';
export { provenDrums } from './proven.js';
