import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@metertwin/testing';
import { assertBrowserTestReady, startPortal, type RunningPortal } from './support/portal';

/**
 * The built portal under `next start` refuses an oversized sign-in body while it streams in: the 413
 * arrives after a few KiB, not after the whole body was read into memory.
 */
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const MiB = 1024 * 1024;

interface Sent {
  status: number;
  /** Body bytes the client had handed to the socket when the response arrived. */
  writtenAtResponse: number;
}

/**
 * POSTs `totalBytes` of form data generated on the fly, honouring backpressure (write until the
 * socket's buffer is full, then wait for 'drain'), and stops writing once the response arrives.
 * Without `contentLength` the body goes chunked, so only the server's own count can stop it.
 */
function postHugeForm(
  url: string,
  totalBytes: number,
  options: { contentLength?: boolean; writeBody?: boolean } = {},
): Promise<Sent> {
  const target = new URL(url);
  const headers: Record<string, string | number> = {
    'content-type': 'application/x-www-form-urlencoded',
    origin: target.origin,
  };
  if (options.contentLength) headers['content-length'] = totalBytes;
  return new Promise((resolve, reject) => {
    let written = 0;
    let responded = false;
    const chunk = Buffer.alloc(64 * 1024, 'a');
    chunk.write('email=');
    // Keep-alive, as browsers do: with "Connection: close" Node closes the socket right after the
    // response, and a client still writing may meet the reset before it reads the 413.
    const agent = new http.Agent({ keepAlive: true });
    const request = http.request(target, { method: 'POST', headers, agent });
    request.on('response', (response) => {
      responded = true;
      const sent = { status: response.statusCode!, writtenAtResponse: written };
      response.resume();
      response.on('end', () => {
        agent.destroy();
        resolve(sent);
      });
    });
    // Once the server has answered and closed, further writes fail: that is the expected end.
    request.on('error', (error) => {
      if (!responded) reject(error);
    });
    const pump = () => {
      while (!responded && written < totalBytes) {
        written += chunk.length;
        if (!request.write(chunk)) {
          request.once('drain', pump);
          return;
        }
      }
      if (!responded) request.end();
    };
    if (options.writeBody === false) request.flushHeaders();
    else pump();
  });
}

describe('request body limits on the running portal', () => {
  let db: TestDatabase;
  let storageDir: string;
  let portal: RunningPortal;

  beforeAll(async () => {
    assertBrowserTestReady();
    db = await createTestDatabase();
    storageDir = await mkdtemp(path.join(tmpdir(), 'mt-web-body-limit-'));
    portal = await startPortal({ DATABASE_URL: db.url, STORAGE_DIR: storageDir, REDIS_URL });
  });

  afterAll(async () => {
    await portal?.stop();
    await db?.drop();
    if (storageDir) await rm(storageDir, { recursive: true, force: true });
  });

  it('answers a 200 MB chunked sign-in body with 413 long before it is sent, and stays up', async () => {
    const total = 200 * MiB;
    const sent = await postHugeForm(`${portal.base}/api/auth/signin`, total);
    expect(sent.status).toBe(413);
    // The cap is a few KiB; what the client wrote beyond it sat in socket buffers when the 413 came.
    expect(sent.writtenAtResponse).toBeLessThan(16 * MiB);
    const health = await fetch(`${portal.base}/api/healthz`);
    expect(health.status).toBe(200);
  });

  it('answers a declared 200 MB Content-Length with 413 before any of the body is sent', async () => {
    const sent = await postHugeForm(`${portal.base}/api/auth/signin`, 200 * MiB, {
      contentLength: true,
      writeBody: false,
    });
    expect(sent).toEqual({ status: 413, writtenAtResponse: 0 });
    expect((await fetch(`${portal.base}/api/healthz`)).status).toBe(200);
  });
});
