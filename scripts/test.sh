#!/usr/bin/env bash
# Runs every test against real PostgreSQL and Redis: install, build (type-checks every package), lint, test.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
source scripts/services.sh
export TURBO_TELEMETRY_DISABLED=1 CI="${CI:-}"

ensure_postgres
ensure_redis
ensure_chromium
pnpm install --frozen-lockfile
pnpm exec turbo run build --output-logs=errors-only
pnpm lint
pnpm exec vitest run "$@"
