#!/usr/bin/env bash
# The project's test command (`make test`): vet, gofmt, staticcheck,
# generated-code check, installing what the tests need, the race detector
# where no Neo4j is needed, then every test with a real Neo4j. Starts Neo4j
# itself unless NEO4J_URI is set.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== go vet"
go vet ./...

echo "== gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go') 2>/dev/null || true)
if [ -n "$unformatted" ]; then
  echo "gofmt would change:"; echo "$unformatted"; exit 1
fi

echo "== staticcheck"
go tool staticcheck ./...

echo "== generated GraphQL code is up to date"
scripts/check-generated.sh

echo "== explorer build tools (npm ci)"
# The built page is committed (so running needs no npm); TestDistIsUpToDate
# rebuilds it from these locked dependencies and fails if the committed
# files differ.
(cd web/explorer && npm ci --no-audit --no-fund --loglevel=error)

echo "== playground build tools (npm ci)"
# The same for the GraphiQL playground at /: TestDistIsUpToDate in
# internal/playground rebuilds it from these locked dependencies.
(cd web/playground && npm ci --no-audit --no-fund --loglevel=error)

echo "== peer benchmark server (npm ci)"
# TestPeerComparison in bench runs @neo4j/graphql as the peer it measures.
(cd bench/peer && npm ci --no-audit --no-fund --loglevel=error)

echo "== export validators (xmllint, followthemoney, networkx, cytoscape, graphology)"
# The export tests open every format with its users' tools; they fail in CI
# when one is missing.
scripts/validators.sh

echo "== Chromium for the explorer's and the playground's browser tests"
# Debian's package, never a downloaded browser; the test fails in CI without it.
if [ ! -x /usr/bin/chromium ]; then
  apt_get=(env DEBIAN_FRONTEND=noninteractive apt-get)
  if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then
    apt_get=(sudo "${apt_get[@]}")
  fi
  if ! { "${apt_get[@]}" update -q && "${apt_get[@]}" install -y -q --no-install-recommends chromium; }; then
    echo "cannot install Debian's chromium package (needed by the browser tests in internal/explorer and internal/playground):" >&2
    echo "install it yourself (apt-get install --no-install-recommends chromium) and run the tests again" >&2
    exit 1
  fi
fi
/usr/bin/chromium --version 2>/dev/null || true

echo "== race detector (packages that need neither Neo4j nor a browser)"
# internal/neo4j and cmd/stakegraph talk to Neo4j, internal/explorer and
# internal/playground drive Chromium; everything else runs here under -race,
# with the embedded store.
race_pkgs=$(go list ./... | grep -vE '/(internal/neo4j|cmd/stakegraph|internal/explorer|internal/playground)$')
# shellcheck disable=SC2086
go test -race -count=1 -timeout 45m $race_pkgs

if [ -z "${NEO4J_URI:-}" ]; then
  echo "== starting Neo4j"
  trap 'scripts/neo4j/stop.sh' EXIT
  eval "$(scripts/neo4j/start.sh)"
fi
echo "== tests (Neo4j at $NEO4J_URI)"
# Neo4j tests must not skip here: CI=true turns a missing Neo4j into a failure.
export CI="${CI:-true}"
# -p 1: the packages share one Neo4j database (Community has one), so they
# must not seed it at the same time. -v so the log shows which tests ran;
# passing subtests and RUN lines are dropped, failures keep all their output.
# -timeout 45m: the crash tests restart Neo4j, which takes minutes on a slow
# machine, so go test's 10-minute default per package is too tight.
go test -count=1 -p 1 -timeout 45m -v ./... 2>&1 | grep -vE '^=== (RUN|PAUSE|CONT|NAME)|^ +--- PASS'
