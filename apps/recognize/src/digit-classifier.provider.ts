import type { Provider } from '@nestjs/common';
import { loadDigitClassifier } from '@metertwin/recognizer';
import { CONFIG } from '@metertwin/service-kit';
import type { RecognizeEnv } from './config.js';

export const DIGIT_CLASSIFIER = Symbol('DIGIT_CLASSIFIER');

/** Loaded once at start: a service without its model must not start taking jobs. */
export const digitClassifierProvider: Provider = {
  provide: DIGIT_CLASSIFIER,
  inject: [CONFIG],
  useFactory: (config: RecognizeEnv) => loadDigitClassifier(config.DIGIT_MODEL_DIR),
};
