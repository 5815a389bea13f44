import type { Provider } from '@nestjs/common';
import { AzureVisionOcr, GoogleVisionOcr, type OcrProvider } from '@metertwin/ocr';
import { CONFIG } from '@metertwin/service-kit';
import type { RecognizeEnv } from './config.js';

export const OCR_PROVIDER = Symbol('OCR_PROVIDER');

/** The configured cloud OCR, or null when none is: meters asking for one then get no second opinion. */
export const ocrProvider: Provider = {
  provide: OCR_PROVIDER,
  inject: [CONFIG],
  useFactory: (config: RecognizeEnv): OcrProvider | null => {
    const google = Boolean(config.GOOGLE_VISION_API_KEY || config.GOOGLE_VISION_USE_ADC);
    const azure = Boolean(config.AZURE_VISION_ENDPOINT && config.AZURE_VISION_KEY);
    const chosen = config.OCR_PROVIDER ?? (google ? 'google-vision' : azure ? 'azure-vision' : null);
    if (chosen === 'azure-vision') {
      if (!azure) throw new Error('OCR_PROVIDER=azure-vision needs AZURE_VISION_ENDPOINT and AZURE_VISION_KEY');
      return new AzureVisionOcr({ endpoint: config.AZURE_VISION_ENDPOINT!, apiKey: config.AZURE_VISION_KEY!, timeoutMs: config.AZURE_VISION_TIMEOUT_MS });
    }
    if (chosen === 'google-vision') {
      if (!google) throw new Error('OCR_PROVIDER=google-vision needs GOOGLE_VISION_API_KEY or GOOGLE_VISION_USE_ADC=true');
      return googleVision(config);
    }
    return null;
  },
};

function googleVision(config: RecognizeEnv): GoogleVisionOcr {
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
}
