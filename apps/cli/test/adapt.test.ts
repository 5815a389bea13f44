import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digitsDir } from '@metertwin/sample-data';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../../..');

async function metertwin(...args: string[]) {
  try {
    const { stdout, stderr } = await run(path.join(ROOT, 'node_modules/.bin/tsx'), ['--conditions=source', 'apps/cli/src/main.ts', ...args], { cwd: ROOT });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('metertwin adapt', () => {
  let out: string;
  beforeAll(async () => {
    out = await mkdtemp(path.join(tmpdir(), 'metertwin-adapt-cli-'));
  });
  afterAll(async () => {
    await rm(out, { recursive: true, force: true });
  });

  it('writes an adapted model that classify --model loads, and prints its report', async () => {
    const meter = path.join(digitsDir, 'iskra-t3f-2025');
    const model = path.join(out, 'model');
    const adapted = await metertwin('adapt', 'digits', '--data', meter, '--out', model, '--steps', '4', '--replay', path.join(digitsDir, 'jomjol-20220606'));
    expect(adapted.code).toBe(0);
    const report = JSON.parse(adapted.stdout) as { kind: string; version: string; labels: { train: number; heldBack: number }; heldBack: { base: { n: number } } };
    const crops = (await readdir(meter)).length;
    expect(report.kind).toBe('digits');
    expect(report.labels.train + report.labels.heldBack).toBe(crops);
    expect(report.heldBack.base.n).toBe(report.labels.heldBack);

    const classified = await metertwin('classify', 'digits', meter, '--model', model);
    expect(classified.code).toBe(0);
    expect(classified.stdout.trim().split('\n')).toHaveLength(crops);
  }, 180_000);

  it('explains its arguments and exits 2 without --data or --out', async () => {
    const { code, stderr } = await metertwin('adapt', 'digits', '--out', out);
    expect(code).toBe(2);
    expect(stderr).toMatch(/usage: metertwin adapt digits\|pointers --data DIR --out DIR/);
  });
});
