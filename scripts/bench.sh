#!/usr/bin/env bash
# Runs Picket's Go benchmarks (engine, secret scanner, …) on one core and on
# all cores. Comparisons against other tools are added below the Go
# benchmarks; see docs/BENCHMARKS.md for the results.
set -euo pipefail
cd "$(dirname "$0")/.."

BENCH=${BENCH:-.}
BENCHTIME=${BENCHTIME:-1s}
# The server's benchmarks (issue 4) need fixed iteration counts, not a
# time budget: they run in their own section below.
PKGS=${PKGS:-$(go list ./... | grep -v '/app/server$')}
# Iterations of the GitHub App benchmarks: ACK_N deliveries at 200 a
# second (2000 = 10 s), E2E_N pull requests per end-to-end size and
# first-scan/push pairs.
ACK_N=${ACK_N:-2000}
E2E_N=${E2E_N:-10}

echo "== Go benchmarks, GOMAXPROCS=1"
GOMAXPROCS=1 go test -run '^$' -bench "$BENCH" -benchmem -benchtime "$BENCHTIME" $PKGS
echo "== Go benchmarks, all cores ($(nproc))"
go test -run '^$' -bench "$BENCH" -benchmem -benchtime "$BENCHTIME" $PKGS
echo "== GitHub App: webhook acknowledgement, end to end, incremental push (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
go test -run '^$' -bench 'BenchmarkWebhookAckAt200PerSecond' -benchtime "${ACK_N}x" ./app/server
go test -run '^$' -bench 'BenchmarkEndToEnd|BenchmarkIncrementalPush' -benchtime "${E2E_N}x" ./app/server
echo "== Secret scanners side by side"; ./scripts/bench/compare-secrets.sh
echo "== SAST against gosec (Go part of the labelled corpus)"; sh testdata/sast/gosec/compare.sh
echo "== Replicas and load (picket serve processes)"; ./scripts/bench-replicas.sh
