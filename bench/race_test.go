//go:build race

package main

// raceEnabled: the -race step of scripts/test.sh runs without Neo4j; the
// peer smoke test runs in its Neo4j step instead.
const raceEnabled = true
