export { DIGIT_INPUT, IMAGE_EXTENSIONS, isImageFile, preprocessCrop, sourceToRgb, standardize } from './input.js';
export type { DigitSource } from './input.js';
export { decodeBmp } from './bmp.js';
export { initBackend } from './backend.js';
export type { BackendName } from './backend.js';
