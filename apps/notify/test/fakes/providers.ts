import { createDecipheriv, createECDH, createHmac, createPublicKey, randomBytes, verify, type ECDH } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import { Agent as HttpsAgent, type AgentOptions } from 'node:https';
import { connect, type AddressInfo, type Socket } from 'node:net';

/**
 * Local fakes of the providers notify talks to, on one loopback HTTP server:
 * - FCM HTTP v1: `POST /v1/projects/<id>/messages:send` (as firebase-admin sends it),
 * - a Web Push service: `POST /push/<subscription>`; it checks the VAPID JWT and decrypts the
 *   aes128gcm payload with the subscription's private key, as a browser's push service would,
 * - Slack incoming webhooks: `POST /slack/<channel>`.
 * FCM and web push speak HTTPS to fixed or browser-given hosts: `LoopbackHttpsAgent` carries those
 * requests, unencrypted, to this server (the fake checks everything above TLS).
 */

export interface FcmRequest {
  projectId: string;
  /** performance.now() when the request had arrived. */
  receivedAt: number;
  authorization: string | undefined;
  message: { token: string; notification?: { title: string; body: string }; data?: Record<string, string>; android?: unknown; apns?: unknown };
}
export interface WebPushRequest {
  subscription: string;
  headers: IncomingHttpHeaders;
  /** The VAPID JWT verified against the `k` key, for this push service's origin, not expired. */
  vapidValid: boolean;
  vapidPublicKey: string | undefined;
  /** The decrypted payload (JSON-parsed), or undefined when it could not be decrypted. */
  payload: Record<string, unknown> | undefined;
}
export interface SlackRequest {
  channel: string;
  headers: IncomingHttpHeaders;
  body: { text: string; blocks: unknown[] };
}

export interface FakeSubscription {
  id: string;
  endpoint: string;
  p256dh: string;
  auth: string;
}

export const FCM_TEST_TOKEN = 'fake-fcm-access-token';

/** A firebase-admin credential that needs no Google token service. */
export const fakeFcmCredential = {
  getAccessToken: async () => ({ access_token: FCM_TEST_TOKEN, expires_in: 3600 }),
};

/** An HTTPS agent whose connections go, without TLS, to 127.0.0.1:`port` (or to the request's own port when none). */
export class LoopbackHttpsAgent extends HttpsAgent {
  constructor(private readonly port?: number, options: AgentOptions = {}) {
    super(options);
  }

  override createConnection(options: { port?: number | string | null }): Socket {
    return connect({ host: '127.0.0.1', port: this.port ?? Number(options.port ?? 443) });
  }
}

export async function startFakeProviders() {
  const fcm: FcmRequest[] = [];
  const webPush: WebPushRequest[] = [];
  const slack: SlackRequest[] = [];
  /** FCM tokens answered with UNREGISTERED. */
  const unregistered = new Set<string>();
  /** Web push subscriptions answered with 410 Gone. */
  const expired = new Set<string>();
  /** Per Slack channel, how many requests to answer with 503 first. */
  const slackFailures = new Map<string, number>();
  const subscriptionKeys = new Map<string, { ecdh: ECDH; auth: Buffer }>();
  /** While set, requests are recorded but never answered (a provider that hangs). */
  let hanging = false;
  let onRequest: (() => void) | undefined;
  const hung: ServerResponse[] = [];

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const path = req.url ?? '/';
      const host = req.headers.host ?? '';
      const fcmMatch = /^\/v1\/projects\/([^/]+)\/messages:send$/.exec(path);
      const pushMatch = /^\/push\/([^/]+)$/.exec(path);
      const slackMatch = /^\/slack\/([^/]+)$/.exec(path);
      let answer: () => void;
      if (fcmMatch && req.method === 'POST') {
        const body = JSON.parse(raw.toString('utf8')) as { message: FcmRequest['message'] };
        fcm.push({ projectId: fcmMatch[1]!, receivedAt: performance.now(), authorization: req.headers.authorization, message: body.message });
        answer = () => {
          if (req.headers.authorization !== `Bearer ${FCM_TEST_TOKEN}`) return json(res, 401, fcmError(401, 'UNAUTHENTICATED', undefined));
          if (unregistered.has(body.message.token)) return json(res, 404, fcmError(404, 'NOT_FOUND', 'UNREGISTERED'));
          json(res, 200, { name: `projects/${fcmMatch[1]}/messages/${fcm.length}` });
        };
      } else if (pushMatch && req.method === 'POST') {
        const id = decodeURIComponent(pushMatch[1]!);
        const keys = subscriptionKeys.get(id);
        const vapid = checkVapid(req.headers.authorization, `https://${host}`);
        webPush.push({ subscription: id, headers: req.headers, vapidValid: vapid.valid, vapidPublicKey: vapid.publicKey, payload: keys ? decrypt(raw, keys) : undefined });
        answer = () => {
          if (!keys || expired.has(id)) return void res.writeHead(410).end();
          res.writeHead(201, { location: `https://${host}/messages/${webPush.length}` }).end();
        };
      } else if (slackMatch && req.method === 'POST') {
        const channel = decodeURIComponent(slackMatch[1]!);
        slack.push({ channel, headers: req.headers, body: JSON.parse(raw.toString('utf8')) as SlackRequest['body'] });
        answer = () => {
          const failures = slackFailures.get(channel) ?? 0;
          if (failures > 0) {
            slackFailures.set(channel, failures - 1);
            return void res.writeHead(503, { 'content-type': 'text/plain' }).end('service_unavailable');
          }
          res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
        };
      } else {
        answer = () => res.writeHead(404).end();
      }
      onRequest?.();
      if (hanging) hung.push(res);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    port,
    fcm,
    webPush,
    slack,
    unregistered,
    expired,
    slackFailures,
    /** The agent firebase-admin sends through: fcm.googleapis.com ends up here. */
    fcmAgent: () => new LoopbackHttpsAgent(port),
    /** The agent web push sends through (the subscription endpoints point at this port). */
    webPushAgent: () => new LoopbackHttpsAgent(port),
    /** A browser's subscription: its endpoint on this push service and its public keys. */
    subscribe(id: string): FakeSubscription {
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const auth = randomBytes(16);
      subscriptionKeys.set(id, { ecdh, auth });
      return { id, endpoint: `https://127.0.0.1:${port}/push/${encodeURIComponent(id)}`, p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') };
    },
    slackUrl: (channel: string) => `http://127.0.0.1:${port}/slack/${encodeURIComponent(channel)}`,
    /** Stop answering (requests are still recorded); `then` is called on each request. */
    hang(then?: () => void) {
      hanging = true;
      onRequest = then;
    },
    /** Answer again (the requests left hanging stay unanswered). */
    answer() {
      hanging = false;
      onRequest = undefined;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hung) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
export type FakeProviders = Awaited<ReturnType<typeof startFakeProviders>>;

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' }).end(JSON.stringify(body));
}

/** FCM v1's error body (google.rpc.Status with an FcmError detail). */
function fcmError(code: number, status: string, errorCode: string | undefined) {
  return {
    error: {
      code,
      message: status === 'NOT_FOUND' ? 'Requested entity was not found.' : 'Request had invalid authentication credentials.',
      status,
      details: errorCode ? [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode }] : [],
    },
  };
}

/** RFC 8292: `vapid t=<ES256 JWT>, k=<P-256 public key>`, the JWT's aud this push service's origin. */
function checkVapid(authorization: string | undefined, origin: string): { valid: boolean; publicKey?: string } {
  const m = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(authorization ?? '');
  if (!m) return { valid: false };
  const [, jwt, k] = m as unknown as [string, string, string];
  const [header, payload, signature] = jwt.split('.');
  if (!header || !payload || !signature) return { valid: false, publicKey: k };
  const point = Buffer.from(k, 'base64url');
  const key = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33, 65).toString('base64url') }, format: 'jwk' });
  const signed = verify('sha256', Buffer.from(`${header}.${payload}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'));
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { aud?: string; exp?: number; sub?: string };
  const valid = signed && claims.aud === origin && typeof claims.exp === 'number' && claims.exp > Date.now() / 1000 && typeof claims.sub === 'string';
  return { valid, publicKey: k };
}

/** RFC 8291 (aes128gcm, one record): what the browser does with the push message. */
function decrypt(body: Buffer, { ecdh, auth }: { ecdh: ECDH; auth: Buffer }): Record<string, unknown> | undefined {
  try {
    const salt = body.subarray(0, 16);
    const idLength = body[20]!;
    const senderKey = body.subarray(21, 21 + idLength);
    const ciphertext = body.subarray(21 + idLength);
    const hmac = (key: Buffer, data: Buffer) => createHmac('sha256', key).update(data).digest();
    const ikm = hmac(hmac(auth, ecdh.computeSecret(senderKey)), Buffer.concat([Buffer.from('WebPush: info\0'), ecdh.getPublicKey(), senderKey, Buffer.from([1])]));
    const prk = hmac(salt, ikm);
    const cek = hmac(prk, Buffer.from('Content-Encoding: aes128gcm\0\x01')).subarray(0, 16);
    const nonce = hmac(prk, Buffer.from('Content-Encoding: nonce\0\x01')).subarray(0, 12);
    const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
    decipher.setAuthTag(ciphertext.subarray(-16));
    const padded = Buffer.concat([decipher.update(ciphertext.subarray(0, -16)), decipher.final()]);
    let end = padded.length - 1;
    while (end >= 0 && padded[end] === 0) end--;
    if (padded[end] !== 2) return undefined; // the last record's delimiter
    return JSON.parse(padded.subarray(0, end).toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
