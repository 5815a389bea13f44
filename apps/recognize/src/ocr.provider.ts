import type { Provider } from '@nestjs/common';
import { GoogleVisionOcr, type OcrProvider } from '@metertwin/ocr';
import { CONFIG } from '@metertwin/service-kit';
import type { RecognizeEnv } from './config.js';

export const OCR_PROVIDER = Symbol('OCR_PROVIDER');

/** The configured cloud OCR, or null when none is: meters asking for one then get no second opinion. */
export const ocrProvider: Provider = {
  provide: OCR_PROVIDER,
  inject: [CONFIG],
  useFactory: (config: RecognizeEnv): OcrProvider | null => {
    if (!config.GOOGLE_VISION_API_KEY && !config.GOOGLE_VISION_USE_ADC) return null;
    const endpoint = config.GOOGLE_VISION_ENDPOINT ? new URL(config.GOOGLE_VISION_ENDPOINT) : undefined;
    return new GoogleVisionOcr({
      apiKey: config.GOOGLE_VISION_API_KEY,
      timeoutMs: config.GOOGLE_VISION_TIMEOUT_MS,
      ...(endpoint
        ? {
            apiEndpoint: endpoint.hostname,
            protocol: endpoint.protocol === 'http:' ? 'http' : 'https',
            ...(endpoint.port ? { port: Number(endpoint.port) } : {}),
          }
        : {}),
    });
  },
};
