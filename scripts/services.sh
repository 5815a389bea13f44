# Sourced by up.sh and test.sh: makes sure PostgreSQL (15+), Redis (7) and Mosquitto (MQTT) answer on localhost,
# starting them (or installing them from Debian's packages, as root) when they do not.
pg_ready() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
redis_ready() { redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; }
mqtt_ready() { (exec 3<>/dev/tcp/127.0.0.1/1883) 2>/dev/null; }

need_apt() {
  if [ "$(id -u)" != 0 ]; then
    echo "[services] $1 is not installed: install it (Debian/Ubuntu: sudo apt-get install -y $2) or point DATABASE_URL/REDIS_URL at a running server" >&2
    exit 1
  fi
  echo "[services] installing $2 from Debian's packages" >&2
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $2 >&2
}

ensure_postgres() {
  pg_ready && return 0
  command -v pg_ctlcluster >/dev/null 2>&1 || need_apt PostgreSQL postgresql
  local version
  version=$(ls /etc/postgresql 2>/dev/null | sort -n | tail -1)
  if [ -z "$version" ]; then echo "[services] no PostgreSQL cluster found under /etc/postgresql" >&2; exit 1; fi
  echo "[services] starting PostgreSQL $version" >&2
  pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2 || true
  for _ in $(seq 1 30); do pg_ready && break; sleep 1; done
  pg_ready || { echo "[services] PostgreSQL did not start" >&2; exit 1; }
  # Local trust auth for tests and the demo, as on the developers' machines.
  if ! psql -h 127.0.0.1 -U postgres -c 'select 1' >/dev/null 2>&1; then
    local hba="/etc/postgresql/$version/main/pg_hba.conf"
    sed -i -E 's/^(host\s+all\s+all\s+127\.0\.0\.1\/32\s+)\S+/\1trust/; s/^(local\s+all\s+postgres\s+)\S+/\1trust/' "$hba"
    pg_ctlcluster --skip-systemctl-redirect "$version" main reload >&2
  fi
}

ensure_redis() {
  redis_ready && return 0
  command -v redis-server >/dev/null 2>&1 || need_apt Redis redis-server
  echo "[services] starting Redis (data in var/redis)" >&2
  start_redis 6379 "$ROOT/var/redis"
  for _ in $(seq 1 20); do redis_ready && break; sleep 0.5; done
  redis_ready || { echo "[services] Redis did not start" >&2; exit 1; }
}

# Queued jobs and job schedulers live only in Redis: without persistence a restart loses them (the
# reconciler recovers the work from Postgres, but later). The append-only file, synced every second,
# keeps them; noeviction because BullMQ must never have its keys evicted.
start_redis() { # port, data directory
  mkdir -p "$2"
  redis-server --daemonize yes --bind 127.0.0.1 --port "$1" --dir "$2" \
    --appendonly yes --appendfsync everysec --save "" --maxmemory-policy noeviction >&2
}

# The actuation tests command a fake valve through a real MQTT broker.
ensure_mosquitto() {
  mqtt_ready && return 0
  command -v mosquitto >/dev/null 2>&1 || need_apt Mosquitto mosquitto
  echo "[services] starting Mosquitto" >&2
  if [ -f /etc/mosquitto/mosquitto.conf ]; then mosquitto -d -c /etc/mosquitto/mosquitto.conf >&2; else mosquitto -d -p 1883 >&2; fi
  for _ in $(seq 1 20); do mqtt_ready && break; sleep 0.5; done
  mqtt_ready || { echo "[services] Mosquitto did not start" >&2; exit 1; }
}

# The platform's own broker for devices' photos (up.sh with DEMO_CAMERA=mqtt): no anonymous access,
# accounts made through Mosquitto's dynamic-security plugin (Debian's mosquitto ships it), as production
# runs it. Args: port, directory, admin user, admin password. Its pid file is in var/run (down.sh stops it).
start_platform_broker() {
  local port=$1 dir=$2 user=$3 password=$4
  local plugin
  plugin=$(ls /usr/lib/*/mosquitto_dynamic_security.so 2>/dev/null | head -n 1)
  [ -n "$plugin" ] || { echo "[services] mosquitto_dynamic_security.so not found (apt-get install mosquitto)" >&2; exit 1; }
  mkdir -p "$dir"
  [ -s "$dir/dynamic-security.json" ] || mosquitto_ctrl dynsec init "$dir/dynamic-security.json" "$user" "$password" >/dev/null
  cat >"$dir/mosquitto.conf" <<CONF
user $(id -un)
listener $port 127.0.0.1
allow_anonymous false
plugin $plugin
plugin_opt_config_file $dir/dynamic-security.json
persistence false
CONF
  nohup mosquitto -c "$dir/mosquitto.conf" >"$dir/mosquitto.log" 2>&1 &
  echo $! >var/run/mosquitto-platform.pid
  for _ in $(seq 1 20); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0; sleep 0.5; done
  echo "[services] the platform's Mosquitto did not start: see $dir/mosquitto.log" >&2
  exit 1
}

ensure_database() {
  local name="$1"
  psql -h 127.0.0.1 -U postgres -tAc "select 1 from pg_database where datname='$name'" | grep -q 1 \
    || psql -h 127.0.0.1 -U postgres -qc "create database \"$name\"" >&2
}

# The device gateway's test runs the compose file's Caddyfile with Debian's Caddy (test/deploy/device-gateway.test.ts).
ensure_caddy() {
  command -v caddy >/dev/null 2>&1 && return 0
  need_apt Caddy caddy
}

# Browser tests drive Debian's Chromium through playwright-core (never a downloaded browser).
ensure_chromium() {
  command -v chromium >/dev/null 2>&1 && return 0
  need_apt Chromium chromium
}
