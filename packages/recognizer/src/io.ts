import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Float16Array } from '@petamoriken/float16';
import { tf } from './tf.js';

export const MODEL_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';

/** Short version id of a model: the first 12 hex digits of the SHA-256 of its weights file. */
export function weightsVersion(weights: Uint8Array): string {
  return createHash('sha256').update(weights).digest('hex').slice(0, 12);
}

/**
 * Round every float32 weight of the model to the nearest float16, in place, so that a model is evaluated
 * with exactly the values saveLayersModel will store.
 */
export function roundWeightsToFloat16(model: tf.LayersModel): void {
  const rounded = model.getWeights().map((w) =>
    w.dtype === 'float32' ? tf.tensor(Float32Array.from(new Float16Array(w.dataSync())), w.shape) : w.clone(),
  );
  model.setWeights(rounded);
  tf.dispose(rounded);
}

/**
 * Save a layers model as `model.json` + `weights.bin` (the TensorFlow.js layers format, loadable by
 * tf.loadLayersModel from a browser or tfjs-node too). No file:// handler is needed. Float32 weights are
 * stored as float16 (the format's own `quantization`, decoded by every TensorFlow.js loader): half the
 * size, and the CNN's outputs do not change measurably.
 */
export async function saveLayersModel(
  model: tf.LayersModel,
  dir: string,
): Promise<{ version: string; weightsBytes: number }> {
  await mkdir(dir, { recursive: true });
  let result: { version: string; weightsBytes: number } | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const data = artifacts.weightData;
      const { weights, specs } = toFloat16(
        data === undefined ? new ArrayBuffer(0) : Array.isArray(data) ? tf.io.concatenateArrayBuffers(data) : data,
        artifacts.weightSpecs ?? [],
      );
      const json = {
        format: 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [`./${WEIGHTS_FILE}`], weights: specs }],
      };
      await writeFile(path.join(dir, MODEL_FILE), JSON.stringify(json));
      await writeFile(path.join(dir, WEIGHTS_FILE), weights);
      result = { version: weightsVersion(weights), weightsBytes: weights.length };
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  if (!result) throw new Error('model was not saved');
  return result;
}

/** The weight buffer with every float32 tensor re-encoded as float16, and the specs that say so. */
function toFloat16(
  data: ArrayBuffer,
  specs: tf.io.WeightsManifestEntry[],
): { weights: Uint8Array; specs: tf.io.WeightsManifestEntry[] } {
  const parts: Uint8Array[] = [];
  const out: tf.io.WeightsManifestEntry[] = [];
  let offset = 0;
  for (const spec of specs) {
    const count = spec.shape.reduce((n, d) => n * d, 1);
    // model.save writes unquantized tensors: float32, int32 or bool.
    const bytes = count * (spec.dtype === 'bool' ? 1 : 4);
    if (spec.dtype === 'float32') {
      const half = new Float16Array(new Float32Array(data.slice(offset, offset + bytes)));
      parts.push(new Uint8Array(half.buffer));
      out.push({ ...spec, quantization: { dtype: 'float16' } });
    } else {
      parts.push(new Uint8Array(data.slice(offset, offset + bytes)));
      out.push(spec);
    }
    offset += bytes;
  }
  return { weights: Uint8Array.from(Buffer.concat(parts)), specs: out };
}

export async function loadLayersModelFromDir(dir: string): Promise<{ model: tf.LayersModel; version: string }> {
  const modelFile = path.join(dir, MODEL_FILE);
  let json: {
    modelTopology: object;
    weightsManifest: Array<{ paths: string[]; weights: tf.io.WeightsManifestEntry[] }>;
  };
  try {
    json = JSON.parse(await readFile(modelFile, 'utf8')) as typeof json;
  } catch (error) {
    throw new Error(`cannot read model ${modelFile}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const buffers: Uint8Array[] = [];
  for (const group of json.weightsManifest) {
    for (const p of group.paths) buffers.push(new Uint8Array(await readFile(path.join(dir, p))));
  }
  const all = new Uint8Array(buffers.reduce((n, b) => n + b.length, 0));
  let o = 0;
  for (const b of buffers) {
    all.set(b, o);
    o += b.length;
  }
  const model = await tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
      weightData: all.buffer,
    }),
  );
  return { model, version: weightsVersion(all) };
}
