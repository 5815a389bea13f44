import { defineConfig } from 'vitest/config';
import base from './vitest.config';

// The fault suite (`pnpm test:faults`): the platform as processes under injected faults. Separate
// from the main suite: it needs the built services and root (a small tmpfs for "storage full").
export default defineConfig({
  ...base,
  test: { ...base.test, include: ['test/faults/**/*.faults.ts'], testTimeout: 900_000, hookTimeout: 300_000 },
});
