#!/usr/bin/env bash
# Start a throwaway Neo4j Community server (no Docker, no tarball) for tests.
#
# Usage (from the repo root):
#   eval "$(scripts/neo4j/start.sh)"     # exports NEO4J_URI/USER/PASSWORD/DATABASE
#   go test ./...
#   scripts/neo4j/stop.sh
#
# stdout carries ONLY `export NAME=value` lines; everything else goes to stderr.
# Every start gets an empty database: a server already running from the same
# work dir is stopped and the data dir is wiped (unless STAKEGRAPH_NEO4J_KEEP_DATA=1).
# A start right after a crash (kill -9) works, on the same port too. Auth is disabled (the driver
# must use NoAuth / an empty password): setting a password would need the
# neo4j-admin CLI, which we don't ship, and the server only listens on 127.0.0.1.
#
# Environment knobs:
#   STAKEGRAPH_NEO4J_HOME           work/cache dir      (default: $PWD/.cache/neo4j)
#   STAKEGRAPH_NEO4J_BOLT_PORT      force a bolt port   (default: first free of 7687, 7688, 17687..)
#   STAKEGRAPH_NEO4J_START_TIMEOUT  seconds to wait     (default: 120)
#   STAKEGRAPH_NEO4J_JAVA           java binary         (default: $JAVA_HOME/bin/java, else java on PATH)
#   STAKEGRAPH_NEO4J_HEAP           JVM heap            (default: 512m)
#   STAKEGRAPH_NEO4J_KEEP_DATA      1: keep the data dir, so a restart (e.g. after a crash, with
#                                   STAKEGRAPH_NEO4J_BOLT_PORT for the same port) serves the same data
#   STAKEGRAPH_NEO4J_CACHE          where the jars are cached (default: STAKEGRAPH_NEO4J_HOME), so
#                                   servers with their own homes share one download
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
pom="$script_dir/pom.xml"
home="${STAKEGRAPH_NEO4J_HOME:-$PWD/.cache/neo4j}"
timeout_s="${STAKEGRAPH_NEO4J_START_TIMEOUT:-120}"
heap="${STAKEGRAPH_NEO4J_HEAP:-512m}"
keep_data="${STAKEGRAPH_NEO4J_KEEP_DATA:-0}"

log() { echo "neo4j: $*" >&2; }
die() { log "error: $*"; exit 1; }

# The version is pinned once, in pom.xml; read it from there.
version="$(sed -n 's:.*<neo4j.version>\(.*\)</neo4j.version>.*:\1:p' "$pom" | head -n1)"
[ -n "$version" ] || die "cannot read <neo4j.version> from $pom"

# Keep the cache out of git (only ever appends; creates .gitignore if absent).
# Only done for the default location, which lives inside the repo.
if [ -z "${STAKEGRAPH_NEO4J_HOME:-}" ] && [ -e "$PWD/.git" ]; then
  if ! grep -qxF '.cache/' "$PWD/.gitignore" 2>/dev/null; then
    if [ -s "$PWD/.gitignore" ] && [ -n "$(tail -c1 "$PWD/.gitignore")" ]; then
      echo >>"$PWD/.gitignore"
    fi
    echo '.cache/' >>"$PWD/.gitignore"
  fi
fi

mkdir -p "$home"
home="$(cd "$home" && pwd)" # absolute: the server resolves paths against it
cache="${STAKEGRAPH_NEO4J_CACHE:-$home}"
mkdir -p "$cache"
cache="$(cd "$cache" && pwd)"
lib="$cache/lib-$version" # versioned, so bumping the pom refetches
conf="$home/conf"
data="$home/data"
logs="$home/logs"
run="$home/run"
pidfile="$run/neo4j.pid"

# --- java -------------------------------------------------------------------
if [ -n "${STAKEGRAPH_NEO4J_JAVA:-}" ]; then
  java="$STAKEGRAPH_NEO4J_JAVA"
elif [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
  java="$JAVA_HOME/bin/java"
else
  java="$(command -v java || true)"
fi
if [ -z "$java" ] || [ ! -x "$java" ]; then
  die "no java found (Neo4j 5.26 needs Java 17 or 21); set JAVA_HOME"
fi
java_major="$("$java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1)"
case "$java_major" in
  17 | 21) ;;
  "" | 1 | [0-9] | 1[0-6]) die "$java is Java '${java_major:-?}'; Neo4j 5.26 needs Java 17 or 21" ;;
  *) log "warning: Java $java_major is not officially supported by Neo4j 5.26 (17/21 are)" ;;
esac

# --- jars (cached) -----------------------------------------------------------
# The .complete marker is written last, so an interrupted download is redone.
# Starts sharing a cache take turns (flock), so one does not wipe the jars
# another is fetching.
if [ ! -f "$lib/.complete" ] && command -v flock >/dev/null; then
  exec 9>"$cache/.fetch.lock"
  flock 9
fi
if [ ! -f "$lib/.complete" ]; then
  command -v mvn >/dev/null || die "mvn is needed once to fetch the Neo4j $version jars"
  log "fetching Neo4j $version jars with Maven into $lib (first run only)..."
  rm -rf "$lib"
  # (sed: Debian's Maven 3.8 prints stray ANSI resets even with -q -B)
  mvn -q -B -f "$pom" dependency:copy-dependencies -DoutputDirectory="$lib" 2>&1 |
    sed 's/\x1b\[0m//g' >&2 || die "mvn dependency:copy-dependencies failed"
  touch "$lib/.complete"
fi
ls "$lib"/neo4j-server-*.jar >/dev/null 2>&1 || die "no neo4j-server jar in $lib"
exec 9>&- # (closes the lock, if taken)

# --- helpers ----------------------------------------------------------------------
have_python=0
if python3 -c '' >/dev/null 2>&1; then have_python=1; fi
port_free() {
  # Try to bind it as the server will; fall back to a connect probe.
  # SO_REUSEADDR as the JVM sets it on server sockets: after a crash the dead
  # server's connections linger in FIN-WAIT-2/TIME-WAIT on the port for up
  # to a minute; they block a plain bind but not the server's.
  if [ "$have_python" = 1 ]; then
    python3 - "$1" <<'PY' 2>/dev/null
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
    s.listen()
except OSError:
    sys.exit(1)
finally:
    s.close()
PY
  else
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 1; fi
    return 0
  fi
}

# pick_port "SKIP": first free candidate whose " $p " is not in SKIP.
pick_port() {
  local p
  for p in 7687 7688 $(seq 17687 17786); do
    case "$1" in *" $p "*) continue ;; esac
    if port_free "$p"; then
      echo "$p"
      return 0
    fi
  done
  return 1
}

write_conf() {
  # Written fresh every time. Strict validation is on by default, so a typo
  # here fails the start instead of being ignored.
  cat >"$conf/neo4j.conf" <<EOF
# Generated by scripts/neo4j/start.sh; overwritten on every start.
initial.dbms.default_database=neo4j
dbms.security.auth_enabled=false
dbms.usage_report.enabled=false

server.default_listen_address=127.0.0.1
server.default_advertised_address=127.0.0.1
server.bolt.enabled=true
server.bolt.listen_address=127.0.0.1:$1
server.bolt.advertised_address=127.0.0.1:$1
server.bolt.tls_level=DISABLED
server.http.enabled=false
server.https.enabled=false

# Heap is really set by -Xms/-Xmx below (we launch java ourselves); kept equal
# here so the server's own memory checks agree.
server.memory.heap.initial_size=$heap
server.memory.heap.max_size=$heap
server.memory.pagecache.size=256m

server.directories.data=$data
server.directories.logs=$logs
server.directories.run=$run
server.directories.plugins=$home/plugins
server.directories.import=$home/import
server.directories.lib=$lib

# Tests create little data: keep transaction logs small and unallocated.
db.tx_log.rotation.retention_policy=1 files
db.tx_log.rotation.size=1M
db.tx_log.preallocate=false
db.logs.query.enabled=OFF

# Bolt's Netty event loops otherwise idle 2x5 s on shutdown (internal
# setting, in whole seconds, checked on 5.26.30): stop takes ~0.5 s, not ~11 s.
internal.dbms.bolt.netty_server_shutdown_quiet_period=0
EOF
}

# These are the JVM flags the neo4j launcher normally adds from its default
# neo4j.conf (server.jvm.additional); without the --add-opens the page cache
# and tx-log native access fall back to slower paths with warnings.
jvm_opts=(
  "-Xms$heap" "-Xmx$heap"
  -XX:+UseG1GC
  -XX:-OmitStackTraceInFastThrow
  -XX:+UnlockExperimentalVMOptions
  -XX:+TrustFinalNonStaticFields
  -XX:+DisableExplicitGC
  -Djdk.nio.maxCachedBufferSize=1024
  -Dio.netty.tryReflectionSetAccessible=true
  -Djdk.tls.ephemeralDHKeySize=2048
  -Djdk.tls.rejectClientInitiatedRenegotiation=true
  -Dlog4j2.disable.jmx=true
  -Dfile.encoding=UTF-8
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --enable-native-access=ALL-UNNAMED
)

launch() {
  # setsid + nohup: the server outlives this script and the caller's terminal
  # or process group. setsid execs java directly, so $! is the java pid.
  nohup setsid "$java" "${jvm_opts[@]}" -cp "$lib/*" \
    org.neo4j.server.CommunityEntryPoint --home-dir="$home" --config-dir="$conf" \
    </dev/null >"$logs/console.log" 2>&1 &
  pid=$!
  echo "$pid" >"$pidfile"
}

# Ready = the user log says "Started." AND bolt accepts TCP connections.
# Returns 0 ready, 1 the server exited, 2 timed out.
wait_ready() {
  local t0=$SECONDS
  while :; do
    kill -0 "$pid" 2>/dev/null || return 1
    if grep -q 'INFO  Started\.' "$logs/neo4j.log" 2>/dev/null &&
      (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      return 0
    fi
    [ $((SECONDS - t0)) -lt "$timeout_s" ] || return 2
    sleep 0.5
  done
}

fail() {
  log "error: $*"
  for f in "$logs/neo4j.log" "$logs/console.log"; do
    if [ -s "$f" ]; then
      echo "---- tail $f ----" >&2
      tail -n 40 "$f" >&2
    fi
  done
  "$script_dir/stop.sh" >&2 || true
  exit 1
}

# --- stop a previous instance, then start from an empty store ----------------
export STAKEGRAPH_NEO4J_HOME="$home" # so stop.sh finds the same pid file
"$script_dir/stop.sh" >&2
mkdir -p "$run" "$home/plugins" "$home/import"

start_ts=$SECONDS
tried=" "
attempt=0
while :; do
  attempt=$((attempt + 1))
  # The logs always go: wait_ready looks for this start's "Started." line.
  rm -rf "$logs" "$conf"
  if [ "$keep_data" != 1 ]; then rm -rf "$data"; fi
  mkdir -p "$data" "$logs" "$conf"
  if [ -n "${STAKEGRAPH_NEO4J_BOLT_PORT:-}" ]; then
    port="$STAKEGRAPH_NEO4J_BOLT_PORT"
    port_free "$port" || die "port $port (STAKEGRAPH_NEO4J_BOLT_PORT) is in use"
  else
    port="$(pick_port "$tried")" || die "no free bolt port found"
  fi
  write_conf "$port"
  launch
  rc=0
  wait_ready || rc=$?
  [ "$rc" -ne 0 ] || break
  # Another server (e.g. a parallel start.sh) may grab the port between our
  # probe and Neo4j's bind, which happens late in startup: retry elsewhere.
  if [ "$rc" -eq 1 ] && [ -z "${STAKEGRAPH_NEO4J_BOLT_PORT:-}" ] && [ "$attempt" -lt 5 ] &&
    grep -q 'Address already in use' "$logs/neo4j.log" 2>/dev/null; then
    log "bolt port $port was taken during startup; retrying on another port"
    "$script_dir/stop.sh" >&2 || true
    tried="$tried$port "
    continue
  fi
  if [ "$rc" -eq 1 ]; then fail "Neo4j exited during startup"; fi
  fail "Neo4j not ready after ${timeout_s}s"
done

server_jars=("$lib"/neo4j-server-*.jar)
server_jar="$(basename "${server_jars[0]}")"
running_version="${server_jar#neo4j-server-}"
running_version="${running_version%.jar}"

uri="bolt://127.0.0.1:$port"
exports="export NEO4J_URI=$uri
export NEO4J_USER=neo4j
export NEO4J_PASSWORD=
export NEO4J_DATABASE=neo4j"
# Also kept in a file, for shells that didn't capture stdout.
echo "$exports" >"$home/env"
log "started Neo4j $running_version Community on $uri (pid $pid, $((SECONDS - start_ts))s, home $home)"
echo "$exports"
