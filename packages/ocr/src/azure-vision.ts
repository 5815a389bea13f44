import * as imageAnalysis from '@azure-rest/ai-vision-image-analysis';
import { isUnexpected, type ImageAnalysisClient } from '@azure-rest/ai-vision-image-analysis';
import { AzureKeyCredential } from '@azure/core-auth';
import { z } from 'zod';
import { assignToDrums, polygonBox, type OcrSymbol } from './assign.js';
import { OcrError, type OcrProvider, type OcrRequest, type OcrResult } from './provider.js';

type CreateClient = (endpoint: string, credential: AzureKeyCredential, options?: { retryOptions?: { maxRetries?: number }; allowInsecureConnection?: boolean }) => ImageAnalysisClient;
// The package is CommonJS with `exports.default`: Node's ESM loader hands over the whole exports
// object as the default import, a bundler the function itself.
const exported = (imageAnalysis as unknown as { default: CreateClient | { default: CreateClient } }).default;
const createImageAnalysisClient: CreateClient = typeof exported === 'function' ? exported : exported.default;

export const AzureVisionOptionsSchema = z.object({
  /** The Azure AI Vision resource, e.g. https://<resource>.cognitiveservices.azure.com (or a local fake in tests). */
  endpoint: z.url(),
  /** One of the resource's keys (Ocp-Apim-Subscription-Key). */
  apiKey: z.string().min(1),
  /** One call's deadline; a slow answer must not hold a reading up. */
  timeoutMs: z.int().positive().default(10_000),
});
export type AzureVisionOptions = z.input<typeof AzureVisionOptionsSchema>;

interface ReadWord {
  text: string;
  boundingPolygon: { x: number; y: number }[];
  confidence: number;
}

/**
 * Azure AI Vision's Read (Image Analysis 4.0, `imageanalysis:analyze?features=read`) on a counter
 * window, through Microsoft's official REST client. Read returns words with a polygon and a
 * confidence; a word's characters share its box evenly (counter digits are evenly spaced) and are
 * put on the drums by their boxes. No retries: every call costs money.
 */
export class AzureVisionOcr implements OcrProvider {
  readonly name = 'azure-vision';
  private readonly client: ImageAnalysisClient;
  private readonly timeoutMs: number;

  constructor(options: AzureVisionOptions) {
    const o = AzureVisionOptionsSchema.parse(options);
    this.timeoutMs = o.timeoutMs;
    this.client = createImageAnalysisClient(o.endpoint.replace(/\/$/, ''), new AzureKeyCredential(o.apiKey), {
      retryOptions: { maxRetries: 0 },
      // only a local stand-in is plain http; the real service is https
      allowInsecureConnection: o.endpoint.startsWith('http:'),
    });
  }

  async recognize({ image, digitBoxes }: OcrRequest): Promise<OcrResult> {
    let response;
    try {
      response = await this.client.path('/imageanalysis:analyze').post({
        body: image,
        contentType: 'application/octet-stream',
        queryParameters: { features: ['Read'] },
        abortSignal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const message = (error as Error).message ?? String(error);
      const kind = (error as Error).name === 'AbortError' || /abort|timed? ?out/i.test(message) ? 'timeout' : 'unavailable';
      throw new OcrError(kind, `Azure AI Vision: ${message}`, { cause: error });
    }
    if (isUnexpected(response)) {
      const status = Number(response.status);
      const text = `Azure AI Vision: HTTP ${status} ${response.body?.error?.message ?? ''}`.trim();
      if (status === 429) throw new OcrError('quota', text);
      if (status >= 500) throw new OcrError('unavailable', text);
      throw new OcrError('rejected', text);
    }
    const lines = (response.body.readResult?.blocks ?? []).flatMap((block) => block.lines);
    const symbols: OcrSymbol[] = lines.flatMap((line) => line.words.flatMap(charactersOf));
    return { provider: this.name, text: lines.map((l) => l.text).join('\n'), digits: assignToDrums(symbols, digitBoxes) };
  }

  async close(): Promise<void> {}
}

function charactersOf(word: ReadWord): OcrSymbol[] {
  const [x, y, w, h] = polygonBox(word.boundingPolygon);
  const chars = [...word.text];
  const step = w / Math.max(1, chars.length);
  return chars.map((text, i) => ({ text, box: [x + i * step, y, step, h] as const, confidence: word.confidence }));
}
