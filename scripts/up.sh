#!/usr/bin/env bash
# Installs and starts the whole platform on this machine, with a simulated camera and a demo meter.
# Logs: var/log/<service>.log. Stop everything with scripts/down.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
source scripts/services.sh
export TURBO_TELEMETRY_DISABLED=1 NEXT_TELEMETRY_DISABLED=1

DB_NAME="${DB_NAME:-metertwin}"
export DATABASE_URL="${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/$DB_NAME}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
export STORAGE_DIR="${STORAGE_DIR:-$PWD/var/captures}"
export ADMIN_TOKEN="${ADMIN_TOKEN:-$(head -c 24 /dev/urandom | base64 | tr -d '/+=')}"
# The key that seals stored credentials (camera and MQTT passwords, actuator headers): made once
# for this machine and kept, since what it sealed cannot be read with another key.
if [ -z "${SECRETS_KEY:-}" ]; then
  mkdir -p var
  [ -s var/secrets.key ] || (umask 077 && head -c 32 /dev/urandom | base64 >var/secrets.key)
  SECRETS_KEY="$(cat var/secrets.key)"
fi
export SECRETS_KEY
export LOG_LEVEL="${LOG_LEVEL:-info}"
WEB_PORT="${WEB_PORT:-3000}"
CAMERA_PORT="${CAMERA_PORT:-8081}"
# pull: ingest fetches the simulated camera's snapshot (an ESP32-CAM); mqtt: the camera agent takes
# the snapshot and publishes it to the platform's Mosquitto with the camera's own account.
DEMO_CAMERA="${DEMO_CAMERA:-pull}"
MQTT_PORT="${MQTT_PORT:-1884}"
# The simulated camera runs on this machine: the one loopback address ingest and the portal may reach
# (packages/egress refuses loopback, link-local and metadata addresses unless they are named here).
export OUTBOUND_ALLOWED_HOSTS="${OUTBOUND_ALLOWED_HOSTS:-127.0.0.1:$CAMERA_PORT}"

ensure_postgres
ensure_redis
ensure_mosquitto
[[ "$DATABASE_URL" == *"@127.0.0.1:5432/$DB_NAME" ]] && ensure_database "$DB_NAME"

echo "[up] installing dependencies"
pnpm install --frozen-lockfile
echo "[up] building"
pnpm exec turbo run build --output-logs=errors-only
echo "[up] applying database migrations"
pnpm exec prisma migrate deploy

mkdir -p var/log var/run "$STORAGE_DIR"
bash scripts/down.sh --quiet || true

SEED_MQTT=()
if [ "$DEMO_CAMERA" = mqtt ]; then
  # The broker's admin and ingest's account: passwords made once for this machine and kept in var/.
  for secret in mqtt-admin mqtt-ingest; do
    [ -s "var/$secret.password" ] || (umask 077 && head -c 18 /dev/urandom | base64 | tr -d '/+=' >"var/$secret.password")
  done
  start_platform_broker "$MQTT_PORT" "$PWD/var/mosquitto" metertwin-admin "$(cat var/mqtt-admin.password)"
  export MQTT_URL="mqtt://127.0.0.1:$MQTT_PORT" MQTT_USERNAME=metertwin-ingest MQTT_PASSWORD="$(cat var/mqtt-ingest.password)"
  SEED_MQTT=(--mqtt "$MQTT_URL" --agent-config var/camera-agent.json)
  export MQTT_ADMIN_PASSWORD="$(cat var/mqtt-admin.password)"
elif [ "$DEMO_CAMERA" != pull ]; then
  echo "[up] DEMO_CAMERA is pull or mqtt, not $DEMO_CAMERA" >&2
  exit 2
fi

start() { # name, command…
  local name=$1
  shift
  nohup "$@" >"var/log/$name.log" 2>&1 &
  echo $! >"var/run/$name.pid"
}

start camera-sim node tools/camera-sim/dist/main.js --port "$CAMERA_PORT" --rate 30
echo "[up] seeding the demo meter"
for _ in $(seq 1 30); do curl -sf "http://127.0.0.1:$CAMERA_PORT/status" >/dev/null && break; sleep 0.5; done
pnpm exec tsx scripts/seed-demo.ts --camera "http://127.0.0.1:$CAMERA_PORT" "${SEED_MQTT[@]}"

PORT=3001 start ingest node apps/ingest/dist/main.js
PORT=3002 start preprocess node apps/preprocess/dist/main.js
PORT=3003 start recognize node apps/recognize/dist/main.js
PORT=3004 start notify node apps/notify/dist/main.js
PORT="$WEB_PORT" start web bash -c "cd apps/web && exec node_modules/.bin/next start -p $WEB_PORT"
[ "$DEMO_CAMERA" = mqtt ] && start camera-agent node apps/camera-agent/dist/main.js --config var/camera-agent.json

for service in ingest:3001 preprocess:3002 recognize:3003 notify:3004; do
  for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:${service#*:}/healthz" >/dev/null && break; sleep 0.5; done
  curl -sf "http://127.0.0.1:${service#*:}/healthz" >/dev/null || { echo "[up] ${service%%:*} did not become healthy: see var/log/${service%%:*}.log" >&2; exit 1; }
done
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$WEB_PORT/api/healthz" >/dev/null && break; sleep 0.5; done

cat <<TXT

MeterTwin is running.
  Portal:           http://localhost:$WEB_PORT   (the demo meter reads a new frame every 10 s)
  Sign in as:       admin@demo.test, operator@demo.test or viewer@demo.test, password metertwin-demo
  Camera simulator: http://127.0.0.1:$CAMERA_PORT/capture   ($([ "$DEMO_CAMERA" = mqtt ] && echo "sent by the camera agent over MQTT, mqtt://127.0.0.1:$MQTT_PORT" || echo "pulled by ingest; DEMO_CAMERA=mqtt for MQTT push"))
  Ingest API:       http://127.0.0.1:3001/v1/meters/<meterId>/captures
  Admin token:      $ADMIN_TOKEN   (dead-letter view: GET /v1/jobs/failed?queue=preprocess on any service)
  Logs:             var/log/*.log      Stop: bash scripts/down.sh
TXT
