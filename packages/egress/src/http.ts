import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { OutboundError } from './errors.js';
import { checkDestination, pinnedLookup, type Destination, type OutboundPolicy } from './policy.js';

export interface OutboundRequestOptions {
  policy: OutboundPolicy;
  method?: 'GET' | 'POST' | 'PUT';
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** For the whole exchange, redirects included. */
  timeoutMs: number;
  /** The answer's body is read as it streams and the request aborted past this many bytes. */
  maxBytes: number;
  /**
   * Redirects followed (GET only), each new URL checked against the policy like the first; the
   * Authorization header is dropped when a redirect leaves the origin. 0 (default): a 3xx is returned.
   */
  maxRedirects?: number;
}

export interface OutboundResponse {
  /** The URL that answered (after redirects). */
  url: URL;
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * The platform's one way to call a URL that somebody configured (a camera, a webhook, Slack, an
 * HTTP actuator): the destination policy on every hop, DNS pinned to the checked addresses, a
 * deadline, and a body cap enforced while streaming.
 */
export async function outboundRequest(rawUrl: string, options: OutboundRequestOptions): Promise<OutboundResponse> {
  const deadline = Date.now() + options.timeoutMs;
  let url = rawUrl;
  let headers = { ...options.headers };
  for (let hop = 0; ; hop++) {
    const destination = await checkDestination(url, options.policy);
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw timeout(options.timeoutMs);
    const response = await exchange(destination, { ...options, headers }, remaining, options.timeoutMs);
    const location = response.headers.location;
    if (!REDIRECTS.has(response.status) || !location || (options.method ?? 'GET') !== 'GET') return response;
    if (hop >= (options.maxRedirects ?? 0)) {
      if ((options.maxRedirects ?? 0) === 0) return response;
      throw new OutboundError('redirect', `more than ${options.maxRedirects} redirects`);
    }
    const next = new URL(location, destination.url);
    if (next.origin !== destination.url.origin) {
      headers = Object.fromEntries(Object.entries(headers).filter(([k]) => k.toLowerCase() !== 'authorization'));
    }
    url = next.href;
  }
}

const timeout = (ms: number) => new OutboundError('timeout', `no answer within ${ms} ms`);

function exchange(
  { url, addresses }: Destination,
  options: OutboundRequestOptions,
  remainingMs: number,
  timeoutMs: number,
): Promise<OutboundResponse> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const body = options.body === undefined ? undefined : Buffer.from(options.body);
  const headers = { ...options.headers };
  if (body) headers['content-length'] = String(body.length);
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (error: OutboundError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      reject(error);
    };
    const req = request(url, { method: options.method ?? 'GET', headers, lookup: pinnedLookup(addresses) }, (res) => {
      const declared = Number(res.headers['content-length']);
      const tooLarge = () => new OutboundError('too-large', `the answer is larger than ${options.maxBytes} bytes`);
      if (declared > options.maxBytes) return fail(tooLarge());
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > options.maxBytes) return fail(tooLarge());
        chunks.push(chunk);
      });
      res.on('end', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ url, status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
      });
      res.on('error', (error) => fail(new OutboundError('unreachable', 'the connection broke off', { cause: error })));
    });
    const timer = setTimeout(() => fail(timeout(timeoutMs)), remainingMs);
    req.on('error', (error) =>
      fail(new OutboundError('unreachable', `could not connect to ${url.host}`, { cause: error })),
    );
    req.end(body);
  });
}
