import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Box } from '../provider.js';
import { imageSize } from './fake-vision-server.js';

/** What the fake answers next: text as one word spread over the image, an error, quota, or no answer. */
export type FakeAzureBehavior =
  | { kind: 'text'; text: string; confidence?: number }
  | { kind: 'error'; status: number }
  | { kind: 'quota' }
  | { kind: 'hang' };

export interface FakeAzureRequest {
  path: string;
  query: URLSearchParams;
  apiKey: string | undefined;
  contentType: string | undefined;
  image: Buffer;
}

export interface FakeAzureVisionServer {
  /** The resource endpoint to give the client (the client appends /computervision). */
  endpoint: string;
  readonly requests: FakeAzureRequest[];
  behave(behavior: FakeAzureBehavior): void;
  close(): Promise<void>;
}

/**
 * A local stand-in for an Azure AI Vision resource speaking Image Analysis 4.0's wire format:
 * `POST /computervision/imageanalysis:analyze?features=read&api-version=…` with the image as the
 * body and the key in `Ocp-Apim-Subscription-Key`, answered with `readResult.blocks[].lines[].words[]`
 * (text, boundingPolygon of four points, confidence), or Azure's error envelope.
 */
export async function startFakeAzureVisionServer(): Promise<FakeAzureVisionServer> {
  const requests: FakeAzureRequest[] = [];
  let behavior: FakeAzureBehavior = { kind: 'text', text: '' };
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      if (req.method !== 'POST' || url.pathname !== '/computervision/imageanalysis:analyze') return sendError(res, 404, 'Resource not found');
      const request: FakeAzureRequest = {
        path: url.pathname,
        query: url.searchParams,
        apiKey: req.headers['ocp-apim-subscription-key'] as string | undefined,
        contentType: req.headers['content-type'],
        image: Buffer.concat(chunks),
      };
      requests.push(request);
      if (!request.apiKey) return sendError(res, 401, 'Access denied due to missing subscription key.');
      if (!url.searchParams.get('api-version')) return sendError(res, 400, 'The api-version query parameter is required.');
      if (behavior.kind === 'hang') {
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
        return;
      }
      if (behavior.kind === 'quota') return sendError(res, 429, 'Rate limit is exceeded. Try again in 1 seconds.');
      if (behavior.kind === 'error') return sendError(res, behavior.status, 'Internal server error.');
      const size = imageSize(request.image) ?? { width: 400, height: 100 };
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(analyzeResult(behavior, size)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    behave(next) {
      behavior = next;
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function sendError(res: http.ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { code: String(status), message } }));
}

function polygon([x, y, w, h]: Box) {
  return [
    { x: Math.round(x), y: Math.round(y) },
    { x: Math.round(x + w), y: Math.round(y) },
    { x: Math.round(x + w), y: Math.round(y + h) },
    { x: Math.round(x), y: Math.round(y + h) },
  ];
}

/** `text` as one line of one word across the image, the way Read returns a counter. */
function analyzeResult(behavior: Extract<FakeAzureBehavior, { kind: 'text' }>, size: { width: number; height: number }) {
  const text = behavior.text.trim();
  const blocks = text
    ? [
        {
          lines: [
            {
              text,
              boundingPolygon: polygon([0, size.height * 0.2, size.width, size.height * 0.6]),
              words: [{ text, boundingPolygon: polygon([0, size.height * 0.2, size.width, size.height * 0.6]), confidence: behavior.confidence ?? 0.97 }],
            },
          ],
        },
      ]
    : [];
  return { modelVersion: '2023-10-01', metadata: { width: size.width, height: size.height }, readResult: { blocks } };
}
