import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { initBackend } from '../src/backend.js';
import { loadLayersModelFromDir, roundWeightsToFloat16, saveLayersModel, WEIGHTS_FILE } from '../src/io.js';
import { buildDigitModel } from '../src/model.js';
import { tf } from '../src/tf.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('saved models', () => {
  it('store float16 weights that load back to exactly the rounded model', async () => {
    await initBackend();
    const model = buildDigitModel(7);
    const params = model.countParams();
    const dir = await mkdtemp(path.join(tmpdir(), 'metertwin-io-'));
    dirs.push(dir);

    const before = model.getWeights().map((w) => w.dataSync().slice());
    roundWeightsToFloat16(model);
    const after = model.getWeights().map((w) => w.dataSync());
    // Rounded, not replaced: every weight within float16's relative precision (2^-11) of the original.
    for (let t = 0; t < before.length; t++) {
      for (let i = 0; i < before[t]!.length; i += 97) {
        const x = before[t]![i]!;
        expect(Math.abs(after[t]![i]! - x)).toBeLessThanOrEqual(Math.abs(x) * 2 ** -11 + 1e-7);
      }
    }

    const saved = await saveLayersModel(model, dir);
    expect(saved.weightsBytes).toBe(params * 2);
    expect((await stat(path.join(dir, WEIGHTS_FILE))).size).toBe(params * 2);
    const manifest = JSON.parse(await readFile(path.join(dir, 'model.json'), 'utf8')) as {
      weightsManifest: Array<{ weights: Array<{ quantization?: { dtype: string } }> }>;
    };
    expect(manifest.weightsManifest[0]!.weights.every((w) => w.quantization?.dtype === 'float16')).toBe(true);

    const { model: loaded, version } = await loadLayersModelFromDir(dir);
    expect(version).toBe(saved.version);
    const x = tf.randomNormal([4, 32, 20, 3], 0, 1, 'float32', 5);
    const expected = (model.predict(x) as tf.Tensor).dataSync();
    const actual = (loaded.predict(x) as tf.Tensor).dataSync();
    expect(Array.from(actual)).toEqual(Array.from(expected));
    tf.dispose([x]);
    model.dispose();
    loaded.dispose();
  });
});
