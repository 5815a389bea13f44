import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Box } from '../provider.js';

/** What the fake answers to the next requests. */
export type FakeVisionBehavior =
  /** Finds `text` laid out evenly across the image (or at `boxes`), each character with `confidence`. */
  | { kind: 'text'; text: string; boxes?: Box[]; confidence?: number }
  /** An HTTP error in Google's JSON error format: 500 INTERNAL, 503 UNAVAILABLE, 400 INVALID_ARGUMENT… */
  | { kind: 'error'; status: number }
  /** 429 RESOURCE_EXHAUSTED, as when the project's quota is used up. */
  | { kind: 'quota' }
  /** Accepts the request and never answers (the client's deadline must fire). */
  | { kind: 'hang' };

export interface FakeVisionRequest {
  path: string;
  apiKey: string | undefined;
  /** The decoded image bytes of each request in the batch. */
  images: Buffer[];
  features: unknown[];
}

export interface FakeVisionServer {
  port: number;
  /** What every request has been, oldest first. */
  readonly requests: FakeVisionRequest[];
  behave(behavior: FakeVisionBehavior | ((request: FakeVisionRequest) => FakeVisionBehavior)): void;
  close(): Promise<void>;
}

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  403: 'PERMISSION_DENIED',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

/**
 * A local stand-in for vision.googleapis.com speaking its REST wire format: `POST /v1/images:annotate`
 * with `{ requests: [{ image: { content }, features }] }`, answered with `textAnnotations` (whole text,
 * then words) and a `fullTextAnnotation` (pages → blocks → paragraphs → words → symbols with
 * boundingBox vertices and confidence), or with Google's error envelope.
 */
export async function startFakeVisionServer(): Promise<FakeVisionServer> {
  const requests: FakeVisionRequest[] = [];
  let decide: (request: FakeVisionRequest) => FakeVisionBehavior = () => ({ kind: 'text', text: '' });
  const hanging = new Set<http.ServerResponse>();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0]!;
      if (req.method !== 'POST' || path !== '/v1/images:annotate') {
        return sendError(res, 404, `Method not found: ${req.method} ${path}`);
      }
      let body: { requests?: Array<{ image?: { content?: string }; features?: unknown[] }> };
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return sendError(res, 400, 'Invalid JSON payload received.');
      }
      const request: FakeVisionRequest = {
        path,
        apiKey: header(req, 'x-goog-api-key'),
        images: (body.requests ?? []).map((r) => Buffer.from(r.image?.content ?? '', 'base64')),
        features: (body.requests ?? []).flatMap((r) => r.features ?? []),
      };
      requests.push(request);
      const behavior = decide(request);
      if (behavior.kind === 'hang') {
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
        return;
      }
      if (behavior.kind === 'quota')
        return sendError(res, 429, "Quota exceeded for quota metric 'Requests'.");
      if (behavior.kind === 'error') return sendError(res, behavior.status, 'Internal error encountered.');
      const responses = request.images.map((image) => annotate(image, behavior));
      res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
      res.end(JSON.stringify({ responses }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    behave(behavior) {
      decide = typeof behavior === 'function' ? behavior : () => behavior;
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function sendError(res: http.ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
  res.end(JSON.stringify({ error: { code: status, message, status: STATUS_NAMES[status] ?? 'UNKNOWN' } }));
}

type Vertex = { x: number; y: number };

function poly([x, y, w, h]: Box): { vertices: Vertex[] } {
  const r = (v: number) => Math.round(v);
  return {
    vertices: [
      { x: r(x), y: r(y) },
      { x: r(x + w), y: r(y) },
      { x: r(x + w), y: r(y + h) },
      { x: r(x), y: r(y + h) },
    ],
  };
}

/** A text-detection answer for `text` on this image, characters spread over its width like drums. */
function annotate(image: Buffer, behavior: Extract<FakeVisionBehavior, { kind: 'text' }>) {
  const chars = [...behavior.text.replace(/\s/g, '')];
  if (chars.length === 0) return {};
  const size = imageSize(image) ?? { width: 100 * chars.length, height: 100 };
  const pitch = size.width / chars.length;
  const boxes: Box[] =
    behavior.boxes ??
    chars.map((_, i) => [i * pitch + pitch * 0.15, size.height * 0.2, pitch * 0.7, size.height * 0.6]);
  const confidence = behavior.confidence ?? 0.98;
  const symbols = chars.map((text, i) => ({
    property: i === chars.length - 1 ? { detectedBreak: { type: 'LINE_BREAK' } } : undefined,
    boundingBox: poly(boxes[i]!),
    text,
    confidence,
  }));
  const all = union(boxes);
  const word = { boundingBox: poly(all), symbols, confidence };
  return {
    textAnnotations: [
      { locale: 'und', description: `${chars.join('')}\n`, boundingPoly: poly(all) },
      { description: chars.join(''), boundingPoly: poly(all) },
    ],
    fullTextAnnotation: {
      pages: [
        {
          width: size.width,
          height: size.height,
          blocks: [
            {
              boundingBox: poly(all),
              paragraphs: [{ boundingBox: poly(all), words: [word], confidence }],
              blockType: 'TEXT',
              confidence,
            },
          ],
          confidence,
        },
      ],
      text: `${chars.join('')}\n`,
    },
  };
}

function union(boxes: Box[]): Box {
  const x = Math.min(...boxes.map((b) => b[0]));
  const y = Math.min(...boxes.map((b) => b[1]));
  const right = Math.max(...boxes.map((b) => b[0] + b[2]));
  const bottom = Math.max(...boxes.map((b) => b[1] + b[3]));
  return [x, y, right - x, bottom - y];
}

/** Width and height from a PNG header or a JPEG start-of-frame marker. */
export function imageSize(data: Buffer): { width: number; height: number } | undefined {
  if (data.length > 24 && data.readUInt32BE(0) === 0x89504e47) {
    return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
  }
  if (data.length > 4 && data[0] === 0xff && data[1] === 0xd8) {
    let at = 2;
    while (at + 9 < data.length) {
      if (data[at] !== 0xff) return undefined;
      const marker = data[at + 1]!;
      const length = data.readUInt16BE(at + 2);
      // SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
      if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
        return { height: data.readUInt16BE(at + 5), width: data.readUInt16BE(at + 7) };
      }
      at += 2 + length;
    }
  }
  return undefined;
}

/** A PNG header of that size: all the fakes read of an image (they lay the text out by its size). */
export function pngOfSize(width: number, height: number): Buffer {
  const png = Buffer.alloc(33);
  png.writeUInt32BE(0x89504e47, 0);
  png.writeUInt32BE(0x0d0a1a0a, 4);
  png.writeUInt32BE(13, 8);
  png.write('IHDR', 12, 'ascii');
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  return png;
}
