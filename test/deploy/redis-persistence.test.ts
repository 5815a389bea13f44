import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from '@metertwin/testing';
import { freePort, pings, redisCommand } from '../e2e/redis-server.js';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');

/** Starts Redis the way scripts/services.sh does (what up.sh and test.sh run), on a port and directory of the test's own. */
async function startLikeTheScripts(port: number, dir: string) {
  await run('bash', ['-c', 'source scripts/services.sh && start_redis "$0" "$1"', String(port), dir], { cwd: root });
  await waitFor(() => pings(port), { what: 'Redis started by scripts/services.sh' });
  const info = await redisCommand(port, 'INFO', 'server');
  return Number(/process_id:(\d+)/.exec(info ?? '')?.[1]);
}

describe('Redis as scripts/services.sh starts it', () => {
  let port: number;
  let pid: number | undefined;
  let dir: string | undefined;

  afterAll(async () => {
    if (pid) process.kill(pid, 'SIGKILL');
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('keeps queued jobs across a crash (append-only file)', async () => {
    port = await freePort();
    dir = await mkdtemp(join(tmpdir(), 'metertwin-redis-'));
    pid = await startLikeTheScripts(port, dir);
    expect(await redisCommand(port, 'SET', 'bull:preprocess:1', 'a job')).toBe('+OK\r\n');
    // appendfsync everysec: what Redis took more than a second ago is on disk.
    await new Promise((r) => setTimeout(r, 1_500));
    process.kill(pid, 'SIGKILL');
    await waitFor(async () => !(await pings(port)), { what: 'Redis to die' });

    pid = await startLikeTheScripts(port, dir);
    expect(await redisCommand(port, 'GET', 'bull:preprocess:1')).toBe('$5\r\na job\r\n');
    expect(await redisCommand(port, 'CONFIG', 'GET', 'maxmemory-policy')).toMatch(/noeviction/);
  });
});
