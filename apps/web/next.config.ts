import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NextConfig } from 'next';
import createNextIntlPlugin from 'next-intl/plugin';

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
  // Security headers of every response. Pages get their Content-Security-Policy (with a nonce per
  // request) from proxy.ts; API answers and the offline page get a fixed one here. Scripts, styles,
  // fonts and images under /_next and the PWA's files get none: a policy on a subresource is not
  // applied, only the one of the page that loads it.
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
          // Nothing in the portal uses these; an injected script or a framed page cannot either.
          {
            key: 'Permissions-Policy',
            value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
          },
          // frame-ancestors 'none' for browsers that predate it.
          { key: 'X-Frame-Options', value: 'DENY' },
        ],
      },
      {
        // Only when the browser came over https (a TLS-terminating proxy says so, as lib/auth.ts
        // isHttps reads it): over plain http the header is ignored, and it must not pin a site
        // that is only reachable over http. One year, this host only (no includeSubDomains: the
        // portal does not own its parent domain's other hosts).
        source: '/:path*',
        has: [{ type: 'header', key: 'x-forwarded-proto', value: 'https(,.*)?' }],
        headers: [{ key: 'Strict-Transport-Security', value: 'max-age=31536000' }],
      },
      {
        // JSON, images, CSV and the event stream: nothing to run, nothing to frame.
        source: '/api/:path*',
        headers: [{ key: 'Content-Security-Policy', value: "default-src 'none'; frame-ancestors 'none'" }],
      },
      {
        // Static, no script; its one <style> block is inline.
        source: '/offline.html',
        headers: [
          {
            key: 'Content-Security-Policy',
            value:
              "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
          },
        ],
      },
    ];
  },
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

// next-intl: the request's locale and messages come from src/i18n/request.ts.
export default createNextIntlPlugin('./src/i18n/request.ts')(config);
