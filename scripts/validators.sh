#!/usr/bin/env bash
# Installs the tools the export tests check each format with, as its users
# would open it (internal/export/validators_test.go):
#   xmllint (Debian's libxml2-utils)     GraphML and GEXF against their XSDs
#   followthemoney, networkx (PyPI)      `ftm validate`, networkx.read_graphml
#   cytoscape, graphology (npm)          cy.json(doc), Graph.from(doc)
# Versions are pinned in internal/export/testdata/validators (requirements.txt,
# package-lock.json). The Python packages go into a virtual environment under
# .cache/validators/venv, where the tests look for them
# (STAKEGRAPH_VALIDATOR_PYTHON overrides). Safe to run again: it only
# installs what is missing or out of date. scripts/test.sh runs it; run it by
# hand before `go test ./internal/export/...`.
set -euo pipefail
cd "$(dirname "$0")/.."

tools=internal/export/testdata/validators
venv=.cache/validators/venv

apt_install() {
  local apt_get=(env DEBIAN_FRONTEND=noninteractive apt-get)
  if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then
    apt_get=(sudo "${apt_get[@]}")
  fi
  if ! { "${apt_get[@]}" install -y -q --no-install-recommends "$@" ||
         { "${apt_get[@]}" update -q && "${apt_get[@]}" install -y -q --no-install-recommends "$@"; }; }; then
    echo "cannot install Debian packages $*: install them yourself (apt-get install $*) and run this again" >&2
    exit 1
  fi
}

# Debian packages: xmllint, the venv module, and what pip needs to build
# PyICU (a followthemoney dependency without a wheel for every Python).
missing=()
command -v xmllint >/dev/null 2>&1 || missing+=(libxml2-utils)
for pkg in pkg-config libicu-dev g++; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || missing+=(python3-venv)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing Debian packages: ${missing[*]}"
  apt_install "${missing[@]}"
fi
xmllint --version 2>&1 | sed -n 1p

# Python: a venv with exactly the pinned packages; rebuilt when the pins change.
stamp="$venv/.requirements"
if [ ! -x "$venv/bin/python" ] || ! cmp -s "$tools/requirements.txt" "$stamp"; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check --no-input -r "$tools/requirements.txt"
  cp "$tools/requirements.txt" "$stamp"
fi
"$venv/bin/python" -c 'import followthemoney, networkx; print("followthemoney", followthemoney.__version__, "networkx", networkx.__version__)'

# Node: the locked cytoscape and graphology.
(cd "$tools" && npm ci --no-audit --no-fund --loglevel=error)
(cd "$tools" && npm ls --depth=0 --omit=dev)
