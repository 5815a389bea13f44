import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const SCRIPT = path.join(ROOT, 'packages/vision/test/fixtures/reject-after-opencv.ts');

/** Runs the child script under Node (with tsx for TypeScript); resolves with its exit code and output. */
function runChild(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', SCRIPT, ...args], { cwd: ROOT, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr }),
    );
  });
}

describe('OpenCV and the process handlers', () => {
  it('leaves no process-wide handler behind: an unhandled rejection after OpenCV loaded goes to the process’s own handler, no abort', async () => {
    const { code, stdout, stderr } = await runChild('--own-handler');
    const [counts] = stdout.split('\n');
    expect(JSON.parse(counts!)).toEqual({
      before: { unhandledRejection: 1, uncaughtException: 0 },
      after: { unhandledRejection: 1, uncaughtException: 0 },
      opencv: 'function',
    });
    expect(stdout).toContain('own handler: Connection is closed.');
    expect(stdout).toContain('alive');
    expect(stderr).not.toContain('abort(');
    expect(code).toBe(0);
  }, 90_000);

  it('leaves a process without a handler to Node’s default: it exits 1 on the rejection itself, not on a wasm abort', async () => {
    const { code, stdout, stderr } = await runChild();
    expect(stdout).not.toContain('alive');
    expect(stderr).toContain('Error: Connection is closed.');
    expect(stderr).not.toContain('abort(');
    expect(code).toBe(1);
  }, 90_000);
});
