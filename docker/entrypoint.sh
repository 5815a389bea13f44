#!/bin/sh
# Runs one MeterTwin role in the container: the same image serves every service.
set -e
cd /app
role="${1:-help}"
[ $# -gt 0 ] && shift
case "$role" in
  ingest|preprocess|recognize|notify) exec node "apps/$role/dist/main.js" "$@" ;;
  web) exec pnpm --filter @metertwin/web start "$@" ;;
  migrate) exec pnpm exec prisma migrate deploy ;;
  seed-demo) exec pnpm exec tsx scripts/seed-demo.ts "$@" ;;
  camera-sim) exec node tools/camera-sim/dist/main.js "$@" ;;
  metertwin) exec node apps/cli/dist/main.js "$@" ;;
  *)
    echo "usage: metertwin <ingest|preprocess|recognize|notify|web|migrate|seed-demo|camera-sim|metertwin …>" >&2
    [ "$role" = help ] && exit 0 || exit 2 ;;
esac
