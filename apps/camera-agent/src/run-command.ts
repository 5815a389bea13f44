import { spawn } from 'node:child_process';

/** Runs `argv` (no shell) and returns its stdout; fails on a non-zero exit, a timeout or more than `maxBytes` of output. */
export function runCommand(argv: string[], { timeoutMs, maxBytes = 1024 * 1024 }: { timeoutMs: number; maxBytes?: number }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let size = 0;
    let stderr = '';
    let failure: Error | undefined;
    const fail = (error: Error) => {
      failure ??= error;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => fail(new Error(`${argv[0]} took longer than ${timeoutMs} ms`)), timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) fail(new Error(`${argv[0]} wrote more than ${maxBytes} bytes`));
      else out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-500);
    });
    child.on('error', (error) => fail(new Error(`${argv[0]}: ${error.message}`)));
    child.on('close', (code) => {
      clearTimeout(timer);
      if (failure) reject(failure);
      else if (code !== 0) reject(new Error(`${argv[0]} exited with ${code}${stderr.trim() ? `: ${stderr.trim()}` : ''}`));
      else resolve(Buffer.concat(out));
    });
  });
}
