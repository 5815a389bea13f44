#!/bin/sh
# Runs one MeterTwin role in the container. A service's image (docker/Dockerfile) holds only that
# service in apps/<service>; the tools image holds the whole workspace (migrate, the demo, the CLI).
set -e
cd /app
role="${1:-help}"
[ $# -gt 0 ] && shift
case "$role" in
  ingest|preprocess|recognize|notify) exec node "apps/$role/dist/main.js" "$@" ;;
  web) cd apps/web && exec node_modules/.bin/next start -p "${PORT:-3000}" "$@" ;;
  migrate) exec pnpm exec prisma migrate deploy ;;
  seed-demo) exec pnpm exec tsx scripts/seed-demo.ts "$@" ;;
  mqtt-accounts) exec pnpm exec tsx scripts/mqtt-accounts.ts "$@" ;;
  camera-sim) exec node tools/camera-sim/dist/main.js "$@" ;;
  metertwin) exec node apps/cli/dist/main.js "$@" ;;
  *)
    echo "usage: metertwin <ingest|preprocess|recognize|notify|web|migrate|seed-demo|mqtt-accounts|camera-sim|metertwin …>" >&2
    [ "$role" = help ] && exit 0 || exit 2 ;;
esac
