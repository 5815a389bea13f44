#!/usr/bin/env bash
# Stops the processes scripts/up.sh started; each finishes its in-flight jobs first (SIGTERM).
cd "$(dirname "$0")/.."
for pidfile in var/run/*.pid; do
  [ -e "$pidfile" ] || continue
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    [ "${1:-}" = --quiet ] || echo "stopped $(basename "$pidfile" .pid)"
  fi
  rm -f "$pidfile"
done
