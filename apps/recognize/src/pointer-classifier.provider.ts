import type { Provider } from '@nestjs/common';
import { loadPointerClassifier } from '@metertwin/recognizer';

export const POINTER_CLASSIFIER = Symbol('POINTER_CLASSIFIER');

/**
 * The pointer-dial model (red sub-unit dials of water meters), loaded once at start like the digit
 * model: the one committed in packages/recognizer/models/pointers unless `modelDir` is given.
 */
export function pointerClassifierProvider(modelDir?: string): Provider {
  return { provide: POINTER_CLASSIFIER, useFactory: () => loadPointerClassifier(modelDir) };
}
