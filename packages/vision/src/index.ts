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
export { applyH, IDENTITY, mapBox, multiplyH, translateH, type Homography } from './homography.js';
export { quadLayout, drumQuad, mapCircle, mapQuad, readingAngle, unitSquareToQuad } from './quad.js';
// OpenCV (wasm) helpers, for code that draws with it (the test-meter composer).
export { matOf, opencv, withMats } from './opencv.js';
export type { Circle, Quad } from '@metertwin/contracts';
export { detectCounter, type CounterDetection } from './detect.js';
export { suggestLayout } from './suggest.js';
