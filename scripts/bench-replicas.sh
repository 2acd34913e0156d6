#!/usr/bin/env bash
# Runs the process benchmarks of app/e2e (docs/BENCHMARKS.md, "Replicas
# and load"): webhook acceptance rate and latency at fixed offered rates,
# scans per second with one and three replicas on PostgreSQL and with
# SQLite, and each process's peak resident memory. They start real
# `picket serve` processes against a throwaway PostgreSQL cluster
# (scripts/postgres.sh), the fake GitHub and git servers, so they run
# once each (-benchtime 1x) and only here, never under `make test`.
#
#   scripts/bench-replicas.sh                 # everything
#   BENCH=Scans COUNT=3 scripts/bench-replicas.sh
#   BENCH=WebhookAcceptance LOAD_SECONDS=30 scripts/bench-replicas.sh
#
# PICKET_E2E_BINARY=path uses a prebuilt picket instead of building one.
set -euo pipefail
cd "$(dirname "$0")/.."

BENCH=${BENCH:-.}
COUNT=${COUNT:-1}
export PICKET_E2E_LOAD_SECONDS=${LOAD_SECONDS:-10}

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name:[[:space:]]*//p'), load before: $(loadavg)"
PICKET_E2E_BENCH=1 ./scripts/postgres.sh go test ./app/e2e -run '^$' -bench "$BENCH" -benchtime 1x -count "$COUNT" -timeout 60m
echo "load after: $(loadavg)"
