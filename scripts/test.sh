#!/usr/bin/env bash
# Runs every test against real PostgreSQL, Redis and Mosquitto (and Caddy for the device gateway): install, build (type-checks every package), type-check the root test files, lint, test.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
source scripts/services.sh
export TURBO_TELEMETRY_DISABLED=1 CI="${CI:-}"

ensure_postgres
ensure_redis
ensure_mosquitto
ensure_caddy
ensure_chromium
pnpm install --frozen-lockfile
pnpm exec turbo run build --output-logs=errors-only
# The root test/ and scripts/ files, which no package's build checks.
pnpm exec tsc -p tsconfig.json
pnpm lint
mkdir -p test-artifacts
status=0
pnpm exec vitest run --reporter=default --reporter=json --outputFile.json=test-artifacts/vitest.json "$@" || status=$?
# One plain summary line that any CI can read.
node -e 'const r = require("./test-artifacts/vitest.json"); console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`)' || true
# The fault suite: the platform as processes under injected faults; prints its figures.
pnpm test:faults || status=1
exit $status
