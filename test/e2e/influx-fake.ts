import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** One line of InfluxDB line protocol, parsed (enough for the points our export writes). */
export interface LinePoint {
  measurement: string;
  tags: Record<string, string>;
  fields: Record<string, string>;
  timestamp: string;
}

/** Splits on `sep` where it is not escaped by a backslash and not inside a double-quoted string. */
function split(text: string, sep: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\') {
      current += c + (text[i + 1] ?? '');
      i++;
    } else if (c === '"') {
      quoted = !quoted;
      current += c;
    } else if (c === sep && !quoted) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts;
}

const unescape = (s: string) => s.replace(/\\(.)/g, '$1');

export function parseLine(line: string): LinePoint {
  const [series, fieldSet, timestamp] = split(line, ' ');
  const [measurement, ...tagPairs] = split(series!, ',');
  const pairs = (items: string[]) => Object.fromEntries(items.map((p) => split(p, '=')).map(([k, v]) => [unescape(k!), unescape(v ?? '')]));
  return { measurement: unescape(measurement!), tags: pairs(tagPairs), fields: pairs(split(fieldSet!, ',')), timestamp: timestamp! };
}

export interface WriteRequest {
  path: string;
  query: Record<string, string>;
  authorization: string | undefined;
  points: LinePoint[];
  status: number;
}

/**
 * A local InfluxDB that speaks the v2 write API (`POST /api/v2/write?org=&bucket=&precision=`,
 * `Authorization: Token …`, line protocol, optionally gzip): 204 when the token is right, 401 with
 * InfluxDB's JSON error otherwise; `failNext(n, status)` answers the next n writes with that status.
 */
export async function startFakeInflux(token: string) {
  const requests: WriteRequest[] = [];
  let failing: { left: number; status: number } | undefined;
  const body = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    return (req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
  };
  const server = createServer(async (req, res) => {
    const url = new URL(req.url!, 'http://influx');
    const text = await body(req);
    const request: WriteRequest = {
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      authorization: req.headers.authorization,
      points: text.split('\n').filter(Boolean).map(parseLine),
      status: 204,
    };
    if (req.method !== 'POST' || url.pathname !== '/api/v2/write') request.status = 404;
    else if (req.headers.authorization !== `Token ${token}`) request.status = 401;
    else if (failing && failing.left > 0) {
      failing.left--;
      request.status = failing.status;
    }
    requests.push(request);
    if (request.status === 204) return res.writeHead(204).end();
    const error = request.status === 401 ? { code: 'unauthorized', message: 'unauthorized access' } : { code: 'unavailable', message: 'service unavailable' };
    res.writeHead(request.status, { 'content-type': 'application/json' }).end(JSON.stringify(error));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    /** Points InfluxDB stored (accepted writes only). */
    stored: () => requests.filter((r) => r.status === 204).flatMap((r) => r.points),
    failNext(n: number, status: number) {
      failing = { left: n, status };
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
