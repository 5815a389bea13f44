import path from 'node:path';
import { fileURLToPath } from 'node:url';

const MODELS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../models');
/** The committed digit model: packages/recognizer/models/digits (same path from src/ and dist/). */
export const DEFAULT_DIGIT_MODEL_DIR = path.join(MODELS, 'digits');
/** The committed pointer model: packages/recognizer/models/pointers. */
export const DEFAULT_POINTER_MODEL_DIR = path.join(MODELS, 'pointers');
