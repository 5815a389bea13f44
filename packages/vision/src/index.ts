export { ImageRejectedError, type ImageRejectReason } from './errors.js';
export { probeImage, MAX_INPUT_PIXELS, MAX_INPUT_BYTES, type ImageInfo, type ProbeOptions } from './probe.js';
export { iou, scaleBox, scaleLayout, unionBox, type Size } from './layout.js';
export {
  cropDigits,
  decodeFrame,
  measureQuality,
  locateWithLayout,
  DIGIT_CROP_SIZE,
  POINTER_CROP_SIZE,
  type Crop,
  type CropOptions,
  type DecodedFrame,
  type Quality,
} from './crop.js';
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
