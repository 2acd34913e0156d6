#!/usr/bin/env bash
# Runs Picket's Go benchmarks (engine, secret scanner, …) on one core and on
# all cores. Comparisons against other tools are added below the Go
# benchmarks; see docs/BENCHMARKS.md for the results.
set -euo pipefail
cd "$(dirname "$0")/.."

BENCH=${BENCH:-.}
BENCHTIME=${BENCHTIME:-1s}
PKGS=${PKGS:-./...}

echo "== Go benchmarks, GOMAXPROCS=1"
GOMAXPROCS=1 go test -run '^$' -bench "$BENCH" -benchmem -benchtime "$BENCHTIME" $PKGS
echo "== Go benchmarks, all cores ($(nproc))"
go test -run '^$' -bench "$BENCH" -benchmem -benchtime "$BENCHTIME" $PKGS
echo "== Secret scanners side by side"; ./scripts/bench/compare-secrets.sh
echo "== SAST against gosec (Go part of the labelled corpus)"; sh testdata/sast/gosec/compare.sh
