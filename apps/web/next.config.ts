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
  // Workspace packages are symlinks out of node_modules, and Turbopack bundles them anyway: code
  // that must run as plain Node modules (vision's sharp/OpenCV, recognizer's TensorFlow.js) is
  // imported at run time with `import(/* turbopackIgnore: true */ …)` (src/lib/onboard.ts, review.ts).
  serverExternalPackages: [
    '@metertwin/db',
    '@metertwin/storage',
    '@prisma/client',
    '@prisma/adapter-pg',
    'pg',
    'ioredis',
    // Alarm acknowledge/clear enqueue alarm-event jobs.
    'bullmq',
  ],
  poweredByHeader: false,
  reactStrictMode: true,
  experimental: {
    // Request bodies in front of route handlers. For a request proxy.ts matches (pages, never /api),
    // Next keeps up to this much of the body in memory (twice: the proxy's copy and the page's) and
    // reads the rest to the end before going on. The proxy never reads bodies and pages take none, so
    // a small cap; route handlers cap their own bodies while streaming (src/lib/request-body.ts).
    proxyClientMaxBodySize: '16kb',
    // The portal has no server actions; should one appear, its body is capped like a small JSON route's.
    serverActions: { bodySizeLimit: '64kb' },
  },
};

export default config;
