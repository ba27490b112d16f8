#!/usr/bin/env bash
# Fails when `go tool gqlgen generate` would change the committed generated
# code. Generates into a scratch copy so the working tree is never touched.
set -euo pipefail
cd "$(dirname "$0")/.."
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
tar --exclude=./.git --exclude=./.cache --exclude=./bin -cf - . | tar -C "$scratch" -xf -
(cd "$scratch" && go tool gqlgen generate)
if ! diff -ru graph "$scratch/graph"; then
  echo "generated code is stale: run 'go tool gqlgen generate' and commit the result" >&2
  exit 1
fi
echo "generated code is up to date"
