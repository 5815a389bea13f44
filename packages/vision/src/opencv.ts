import type { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import type cvModule from '@techstark/opencv-js';

export type CV = typeof cvModule;
export type Mat = InstanceType<CV['Mat']>;

// The Emscripten module is a thenable that resolves to itself: never return it from an async
// function or a promise (that loops forever); keep it in a plain holder.
let cvReady: Promise<{ cv: CV }> | undefined;

/**
 * OpenCV (wasm), loaded on first use through require(): services that never register or detect do
 * not pay for it (it is large), and no ESM interop gets the chance to await the thenable module.
 */
export function opencv(): Promise<{ cv: CV }> {
  cvReady ??= new Promise((resolve) => {
    const mod = requireWithoutProcessHandlers() as CV & { onRuntimeInitialized?: () => void };
    if ((mod as { Mat?: unknown }).Mat) resolve({ cv: mod });
    else mod.onRuntimeInitialized = () => resolve({ cv: mod });
  });
  return cvReady;
}

const PROCESS_EVENTS: readonly string[] = ['uncaughtException', 'unhandledRejection'];

/**
 * Under Node the Emscripten module installs `process.on('unhandledRejection', abort)` and an
 * `uncaughtException` handler that rethrows, unconditionally while it is required (no Module option
 * turns them off: the UMD wrapper builds the module from an empty object). They would turn any
 * unrelated unhandled rejection of the process (an ioredis "Connection is closed", say) into a
 * wasm abort that kills it even where the process handles rejections itself. Exactly the listeners
 * added during the (synchronous) require are removed again.
 */
function requireWithoutProcessHandlers(): unknown {
  const emitter: EventEmitter = process;
  const before = PROCESS_EVENTS.map((event) => new Set(emitter.listeners(event)));
  const mod: unknown = createRequire(import.meta.url)('@techstark/opencv-js');
  PROCESS_EVENTS.forEach((event, i) => {
    for (const listener of emitter.listeners(event)) {
      if (!before[i]!.has(listener)) emitter.off(event, listener as (...args: unknown[]) => void);
    }
  });
  return mod;
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
