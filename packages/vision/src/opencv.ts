import { createRequire } from 'node:module';
import type cvModule from '@techstark/opencv-js';

export type CV = typeof cvModule;
export type Mat = InstanceType<CV['Mat']>;

// The Emscripten module is a thenable that resolves to itself: never return it from an async
// function or a promise (that loops forever); keep it in a plain holder.
let cvReady: Promise<{ cv: CV }> | undefined;

/**
 * OpenCV (wasm), loaded on first use through require(): services that never register or detect do
 * not pay for it (it is large and installs process-wide handlers), and no ESM interop gets the
 * chance to await the thenable module.
 */
export function opencv(): Promise<{ cv: CV }> {
  cvReady ??= new Promise((resolve) => {
    const mod = createRequire(import.meta.url)('@techstark/opencv-js') as CV & { onRuntimeInitialized?: () => void };
    if ((mod as { Mat?: unknown }).Mat) resolve({ cv: mod });
    else mod.onRuntimeInitialized = () => resolve({ cv: mod });
  });
  return cvReady;
}

/** A Mat holding a copy of raw interleaved pixels (one bulk copy, no per-pixel JS array). */
export function matOf(cv: CV, data: Uint8Array, width: number, height: number, channels: 1 | 3): Mat {
  const mat = new cv.Mat(height, width, channels === 1 ? cv.CV_8UC1 : cv.CV_8UC3);
  mat.data.set(data.subarray(0, width * height * channels));
  return mat;
}

/** Runs `fn` and deletes every Mat it registered with `keep`, whatever happens (wasm memory is not collected). */
export function withMats<T>(fn: (keep: <M extends { delete(): void }>(m: M) => M) => T): T {
  const mats: { delete(): void }[] = [];
  try {
    return fn((m) => {
      mats.push(m);
      return m;
    });
  } finally {
    for (const m of mats) m.delete();
  }
}
