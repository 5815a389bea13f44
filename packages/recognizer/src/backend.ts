import { createRequire } from 'node:module';
import path from 'node:path';
import { registerGradientKernels } from './grad-kernels.js';
import { tf } from './tf.js';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

let ready: Promise<BackendName> | undefined;

/**
 * Pick the TensorFlow.js backend once per process: `@tensorflow/tfjs-node` ('tensorflow') when it
 * is installed (optional; its install needs internet), else the wasm backend with its .wasm files
 * loaded from node_modules. Same code and same saved model on either. The wasm backend gets the
 * gradient kernels it lacks (see grad-kernels.ts). `prefer: 'cpu'` is for tests only.
 */
export async function initBackend(prefer?: BackendName): Promise<BackendName> {
  if (prefer) return selectBackend(prefer);
  ready ??= selectBackend();
  const name = await ready;
  // Someone (a test) may have switched backends since: switch back.
  if (tf.getBackend() !== name) {
    await tf.setBackend(name);
    await tf.ready();
  }
  return name;
}

async function selectBackend(prefer?: BackendName): Promise<BackendName> {
  if (prefer === 'cpu') {
    await tf.setBackend('cpu');
    await tf.ready();
    return 'cpu';
  }
  if (prefer === undefined || prefer === 'tensorflow') {
    if (await tryNode()) return 'tensorflow';
    if (prefer === 'tensorflow') throw new Error('@tensorflow/tfjs-node is not installed');
  }
  await initWasm();
  return 'wasm';
}

async function tryNode(): Promise<boolean> {
  const name = '@tensorflow/tfjs-node';
  try {
    // A variable specifier keeps TypeScript and bundlers from requiring the optional package.
    await import(/* @vite-ignore */ name);
  } catch {
    return false;
  }
  try {
    return (await tf.setBackend('tensorflow')) && tf.getBackend() === 'tensorflow';
  } catch {
    return false;
  }
}

let wasmRegistered = false;

async function initWasm(): Promise<void> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  if (!wasmRegistered) {
    const require = createRequire(import.meta.url);
    const dist = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
    wasm.setWasmPaths(dist + path.sep);
  }
  if (!(await tf.setBackend('wasm'))) throw new Error('could not initialise the TensorFlow.js wasm backend');
  await tf.ready();
  if (!wasmRegistered) {
    // After the backend is up, so the kernels it already set up stay usable as fallbacks.
    registerGradientKernels('wasm');
    wasmRegistered = true;
  }
}
