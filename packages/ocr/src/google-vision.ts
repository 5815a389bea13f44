import { ImageAnnotatorClient, protos } from '@google-cloud/vision';
import { z } from 'zod';
import { assignToDrums, polygonBox, type OcrSymbol } from './assign.js';
import { OcrError, type OcrProvider, type OcrRequest, type OcrResult } from './provider.js';

type AnnotateResponse = protos.google.cloud.vision.v1.IAnnotateImageResponse;

export const GoogleVisionOptionsSchema = z.object({
  /** An API key; without it the client uses Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS). */
  apiKey: z.string().min(1).optional(),
  /** Another endpoint than vision.googleapis.com (a regional one, or a local fake in tests). */
  apiEndpoint: z.string().min(1).optional(),
  port: z.int().min(1).max(65535).optional(),
  protocol: z.enum(['https', 'http']).default('https'),
  /** One call's deadline; a slow answer must not hold a reading up. */
  timeoutMs: z.int().positive().default(10_000),
});
export type GoogleVisionOptions = z.input<typeof GoogleVisionOptionsSchema>;

/** gRPC status codes the REST transport reports (google.rpc.Code). */
const RESOURCE_EXHAUSTED = 8;
const DEADLINE_EXCEEDED = 4;
const UNAVAILABLE_CODES = new Set([2, 13, 14]);

/**
 * Google Cloud Vision text detection on a counter window, through the official client over its REST
 * transport. DOCUMENT_TEXT_DETECTION is used because it returns every character with its box and a
 * confidence; the characters are then put on the drums by their boxes. No retries here: every call
 * costs money, and the caller decides whether a reading is worth another one.
 */
export class GoogleVisionOcr implements OcrProvider {
  readonly name = 'google-vision';
  private readonly client: ImageAnnotatorClient;
  private readonly timeoutMs: number;

  constructor(options: GoogleVisionOptions = {}) {
    const o = GoogleVisionOptionsSchema.parse(options);
    this.timeoutMs = o.timeoutMs;
    this.client = new ImageAnnotatorClient({
      fallback: 'rest',
      protocol: o.protocol,
      ...(o.apiEndpoint ? { apiEndpoint: o.apiEndpoint } : {}),
      ...(o.port ? { port: o.port } : {}),
      // google-auth-library turns an apiKey into an X-Goog-Api-Key header instead of OAuth.
      ...(o.apiKey ? { apiKey: o.apiKey } : {}),
    });
  }

  async recognize({ image, digitBoxes }: OcrRequest): Promise<OcrResult> {
    let response: AnnotateResponse | undefined;
    try {
      const [batch] = await this.client.batchAnnotateImages(
        {
          requests: [
            {
              image: { content: Buffer.from(image) },
              features: [{ type: 'DOCUMENT_TEXT_DETECTION' }],
              // Counter digits are not language: a hint keeps the detector from "correcting" them into words.
              imageContext: { languageHints: ['en'] },
            },
          ],
        },
        { timeout: this.timeoutMs, maxRetries: 0 },
      );
      response = batch.responses?.[0];
    } catch (error) {
      throw toOcrError(error);
    }
    if (!response) throw new OcrError('rejected', 'Cloud Vision returned no response for the image');
    if (response.error?.code) throw toOcrError(response.error);
    const symbols = symbolsOf(response);
    return {
      provider: this.name,
      text: response.fullTextAnnotation?.text ?? response.textAnnotations?.[0]?.description ?? '',
      digits: assignToDrums(symbols, digitBoxes),
    };
  }

  close(): Promise<void> {
    return this.client.close();
  }
}

/** Every character with its box: the document layout's symbols, or else the words split evenly. */
function symbolsOf(response: AnnotateResponse): OcrSymbol[] {
  const symbols: OcrSymbol[] = [];
  for (const page of response.fullTextAnnotation?.pages ?? [])
    for (const block of page.blocks ?? [])
      for (const paragraph of block.paragraphs ?? [])
        for (const word of paragraph.words ?? [])
          for (const symbol of word.symbols ?? [])
            symbols.push({
              text: symbol.text ?? '',
              box: polygonBox(symbol.boundingBox?.vertices),
              confidence: symbol.confidence ?? word.confidence ?? 0.5,
            });
  if (symbols.length > 0) return symbols;
  // TEXT_DETECTION-style answers: the first annotation is the whole text, the others are words.
  for (const word of response.textAnnotations?.slice(1) ?? []) {
    const text = word.description ?? '';
    const [x, y, w, h] = polygonBox(word.boundingPoly?.vertices);
    const step = w / Math.max(1, text.length);
    [...text].forEach((char, i) =>
      symbols.push({ text: char, box: [x + i * step, y, step, h], confidence: 0.5 }),
    );
  }
  return symbols;
}

function toOcrError(error: unknown): OcrError {
  if (error instanceof OcrError) return error;
  const { code, message } = (error ?? {}) as { code?: number | null; message?: string | null };
  const text = `Cloud Vision: ${message ?? String(error)}`;
  if (code === RESOURCE_EXHAUSTED) return new OcrError('quota', text, { cause: error });
  if (code === DEADLINE_EXCEEDED || /deadline|timed? ?out|abort/i.test(message ?? ''))
    return new OcrError('timeout', text, { cause: error });
  if (code !== undefined && code !== null && UNAVAILABLE_CODES.has(code))
    return new OcrError('unavailable', text, { cause: error });
  if (code === undefined || code === null) return new OcrError('unavailable', text, { cause: error });
  return new OcrError('rejected', text, { cause: error });
}
