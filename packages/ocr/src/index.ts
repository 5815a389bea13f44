export {
  OcrError,
  type Box,
  type OcrDigit,
  type OcrErrorKind,
  type OcrProvider,
  type OcrRequest,
  type OcrResult,
} from './provider.js';
export { assignToDrums, polygonBox, type OcrSymbol } from './assign.js';
export { GoogleVisionOcr, GoogleVisionOptionsSchema, type GoogleVisionOptions } from './google-vision.js';
export { AzureVisionOcr, AzureVisionOptionsSchema, type AzureVisionOptions } from './azure-vision.js';
