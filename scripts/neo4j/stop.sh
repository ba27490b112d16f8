#!/usr/bin/env bash
# Stop the Neo4j server started by scripts/neo4j/start.sh (from the same
# STAKEGRAPH_NEO4J_HOME / repo root). Harmless when nothing is running.
#   STAKEGRAPH_NEO4J_STOP_TIMEOUT  seconds before SIGKILL (default: 60)
set -euo pipefail

home="${STAKEGRAPH_NEO4J_HOME:-$PWD/.cache/neo4j}"
pidfile="$home/run/neo4j.pid"
timeout_s="${STAKEGRAPH_NEO4J_STOP_TIMEOUT:-60}"

log() { echo "neo4j: $*" >&2; }

[ -f "$pidfile" ] || exit 0
pid="$(cat "$pidfile" 2>/dev/null || true)"

# Alive and not a zombie (a zombie still answers kill -0).
alive() {
  kill -0 "$1" 2>/dev/null || return 1
  local state
  state="$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null || echo X)"
  [ "$state" != Z ] && [ "$state" != X ]
}

# Only signal the pid if it is still our server: pids get reused.
ours() {
  tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -q 'org.neo4j.server.CommunityEntryPoint'
}

if [ -z "$pid" ] || ! alive "$pid" || ! ours "$pid"; then
  rm -f "$pidfile"
  exit 0
fi

# SIGTERM = clean shutdown (checkpoint, close stores); takes ~10 s.
kill -TERM "$pid" 2>/dev/null || true
waited=0
while alive "$pid"; do
  if [ "$waited" -ge "$((timeout_s * 2))" ]; then
    log "pid $pid still running after ${timeout_s}s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 0.5
    break
  fi
  sleep 0.5
  waited=$((waited + 1))
done
rm -f "$pidfile"
log "stopped (pid $pid)"
