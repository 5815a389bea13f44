import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The committed digit model: packages/recognizer/models/digits (same path from src/ and dist/). */
export const DEFAULT_DIGIT_MODEL_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../models/digits');
