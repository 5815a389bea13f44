import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { testSecretsKey, waitFor } from '@metertwin/testing';

/**
 * The built portal (`next start`) and Debian's chromium for browser tests. Both fail loudly, never
 * skip, when the build or chromium is missing: scripts/test.sh builds the portal and installs chromium.
 */
export const appDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const artifacts = path.join(appDir, 'test-artifacts');

export function assertBrowserTestReady(): void {
  if (!existsSync(path.join(appDir, '.next/BUILD_ID')) || !existsSync(CHROMIUM)) {
    throw new Error(
      `needs the built portal (${appDir}/.next) and Debian's chromium at ${CHROMIUM}: run scripts/test.sh`,
    );
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export interface RunningPortal {
  base: string;
  output: () => string;
  stop: () => Promise<void>;
}

/**
 * `next start` on a free port with the given environment (DATABASE_URL, STORAGE_DIR, …); resolves once
 * healthy, within `timeoutMs` (a first start next to a running platform can take longer than 30 s).
 */
export async function startPortal(
  env: Record<string, string | undefined>,
  { timeoutMs = 30_000 }: { timeoutMs?: number } = {},
): Promise<RunningPortal> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let output = '';
  const server: ChildProcess = spawn(
    path.join(appDir, 'node_modules/.bin/next'),
    ['start', '-p', String(port), '-H', '127.0.0.1'],
    {
      cwd: appDir,
      env: { ...process.env, NODE_ENV: 'production', SECRETS_KEY: testSecretsKey(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  server.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  server.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  await waitFor(
    async () => {
      if (server.exitCode !== null) throw new Error(`next start exited:\n${output}`);
      return fetch(`${base}/api/healthz`)
        .then((r) => r.ok)
        .catch(() => false);
    },
    { timeoutMs, what: 'next start' },
  );
  return {
    base,
    output: () => output,
    stop: async () => {
      if (server.exitCode !== null) return;
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
    },
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
