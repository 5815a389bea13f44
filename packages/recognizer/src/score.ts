/**
 * The confidence below which a reading is not accepted automatically: packages/readings
 * DEFAULT_MIN_CONFIDENCE (a reading takes its least confident drum); packages/readings/src/status.test.ts
 * keeps the two equal.
 */
export const REVIEW_THRESHOLD = 0.9;
