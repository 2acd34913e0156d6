// Package e2e proves crash safety with real processes: its tests build
// the picket binary once, start `picket serve` processes (exec, each on
// its own loopback port) against the fake GitHub of app/githubtest and
// real git servers of diff/gittest running in the test process, and kill
// them with SIGKILL in the middle of a scan.
//
// It owns: the multi-replica test (three processes on one PostgreSQL,
// 300 deliveries for 100 pull requests with duplicates, redeliveries and
// superseding pushes, one replica killed mid-scan), the restart test (one
// process on SQLite killed mid-review and started again on the same
// file), and the load benchmarks (webhook acceptance rate and latency,
// scans per second with one and three replicas, peak memory per replica)
// that scripts/bench-replicas.sh runs and docs/BENCHMARKS.md reports.
//
// Everything runs through the binary's public surface: environment
// variables, HTTP, signals and the JSON log. The tests must not import
// the app's production packages (app/server, app/jobs, app/store …):
// a shared bug would hide itself, and an in-process server is what
// app/server's own end-to-end tests already cover. They may import the
// test doubles (app/githubtest, diff/gittest, app/store/storetest).
//
// Environment: PICKET_E2E_BINARY names a prebuilt picket binary to use
// instead of building one; PICKET_E2E_LOGS names a directory that keeps
// every process's whole log (a failing test shows only the last 8 KB of
// each); PICKET_E2E_BENCH=1 turns the benchmarks on (scripts/bench-replicas.sh
// sets it) and PICKET_E2E_LOAD_SECONDS sets how long each offered rate
// lasts. The PostgreSQL test reads PICKET_TEST_POSTGRES_URL (see
// app/store/storetest): without it, it skips, or fails under
// PICKET_REQUIRE_POSTGRES=1 as `make test` sets it.
//
// The processes are Linux processes: peak memory is read from /proc.
package e2e
