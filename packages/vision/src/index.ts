export { ImageRejectedError, type ImageRejectReason } from './errors.js';
export { probeImage, MAX_INPUT_PIXELS, MAX_INPUT_BYTES, type ImageInfo, type ProbeOptions } from './probe.js';
export { iou, scaleBox, scaleLayout, unionBox, type Size } from './layout.js';
export {
  cropDigits,
  decodeFrame,
  locateFrame,
  locateWithLayout,
  processFrame,
  rectifyCounter,
  DIGIT_CROP_SIZE,
  POINTER_CROP_SIZE,
  MIN_FRAME,
  type Crop,
  type CropOptions,
  type DecodedFrame,
  type CounterOutline,
  type FrameLocation,
  type ProcessedFrame,
  type RectifiedWindow,
} from './crop.js';
export { assessQuality, measureQuality, type FrameQuality, type Quality, type QualityReason } from './quality.js';
export { buildAlignment, registerFrame, MIN_MARK_SCORE, type Registration, type MarkCounts } from './align.js';
export { applyH, mapBox, type Homography } from './homography.js';
export { quadLayout, drumQuad, readingAngle, unitSquareToQuad } from './quad.js';
export type { Circle, Quad } from '@metertwin/contracts';
export {
  composeMeter,
  COMPOSE_STYLES,
  wheelValues,
  randomMount,
  type Mount,
  type ComposeOptions,
  type ComposeTruth,
  type ComposedMeter,
  type WheelTruth,
} from './compose.js';
export { createRng } from './random.js';
export { detectCounter, type CounterDetection } from './detect.js';
export { suggestLayout } from './suggest.js';
