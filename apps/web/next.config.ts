import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NextConfig } from 'next';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const config: NextConfig = {
  // The monorepo root, so Turbopack and output tracing follow pnpm's links into packages/*.
  turbopack: { root: repoRoot },
  outputFileTracingRoot: repoRoot,
  // Loaded by Node at run time (their built dist), never bundled: Prisma's wasm query compiler,
  // the pg driver, the S3 SDK and ioredis all work as plain Node modules.
  serverExternalPackages: [
    '@metertwin/db',
    '@metertwin/storage',
    '@prisma/client',
    '@prisma/adapter-pg',
    'pg',
    'ioredis',
    // Onboarding's photo analysis: sharp, OpenCV (wasm) and TensorFlow.js stay plain Node modules too.
    '@metertwin/vision',
    '@metertwin/recognizer',
    '@metertwin/readings',
    // Alarm acknowledge/clear enqueue alarm-event jobs.
    'bullmq',
  ],
  poweredByHeader: false,
  reactStrictMode: true,
};

export default config;
