// The seeded generator is the recognizer's (`@metertwin/recognizer/random`, free of TensorFlow).
export { createRng, uniform } from '@metertwin/recognizer/random';

export function pick<T>(rng: () => number, list: readonly T[]): T {
  if (list.length === 0) throw new Error('pick from an empty list');
  return list[Math.floor(rng() * list.length)]!;
}

/** Approximately normal (Irwin–Hall with 4 terms), mean 0, standard deviation 1. */
export function gaussian(rng: () => number): number {
  return (rng() + rng() + rng() + rng() - 2) * Math.sqrt(3);
}
