#!/usr/bin/env bash
# Side-by-side benchmark of Picket's secret scanner against gitleaks and
# trufflehog on the same bytes (docs/BENCHMARKS.md has the results).
#
#  1. Corpus: the files of $(go env GOROOT)/src that Picket scans (vendored,
#     generated, binary and >2 MiB files are left out for every tool, so all
#     three read the same bytes) plus PLANT secrets in .env, YAML, Go and
#     JSON files, with the planted (file, line, type) recorded as truth.
#  2. Tools: gitleaks and trufflehog built from the Go module proxy at
#     pinned versions into a temporary directory; picket through
#     scripts/bench/picketbench (every file an added file of a change set,
#     the engine with the secret scanner).
#  3. RUNS timed runs per tool on one core (GOMAXPROCS=1, taskset -c 0) and
#     on all cores: median wall time, CPU time, peak RSS (GNU time), and
#     recall on the planted secrets (a finding on the planted file and line).
#
# Environment: RUNS (3), PLANT (48), SEED (1), TOOLS ("picket gitleaks
# trufflehog"), GITLEAKS_VERSION, TRUFFLEHOG_VERSION, OUT (also write the
# Markdown report to this file). Everything temporary is removed on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."

GITLEAKS_VERSION=${GITLEAKS_VERSION:-v8.30.1}
TRUFFLEHOG_VERSION=${TRUFFLEHOG_VERSION:-v3.90.0}
RUNS=${RUNS:-3}
PLANT=${PLANT:-48}
SEED=${SEED:-1}
TOOLS=${TOOLS:-picket gitleaks trufflehog}
ALL=$(nproc)

log() { echo "compare-secrets: $*" >&2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/picket-bench.XXXXXX")
# Module caches are read-only; make the copy writable before removing it.
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT

# GNU time reports peak RSS; install Debian's package when it is missing.
if ! /usr/bin/time -f '%M' true >/dev/null 2>&1; then
	log "installing GNU time (Debian package time)"
	sudo=""
	[ "$(id -u)" = 0 ] || sudo=sudo
	$sudo apt-get install -y -qq time >&2 || { log "GNU time is required: apt-get install time"; exit 1; }
fi
pin=()
command -v taskset >/dev/null && pin=(taskset -c 0)

has() { [[ " $TOOLS " == *" $1 "* ]]; }

log "building picketbench"
go build -o "$tmp/bin/picketbench" ./scripts/bench/picketbench
if has gitleaks; then
	log "installing gitleaks $GITLEAKS_VERSION"
	GOBIN="$tmp/bin" go install "github.com/zricethezav/gitleaks/v8@$GITLEAKS_VERSION"
fi
if has trufflehog; then
	# trufflehog's go.mod has replace directives, so `go install pkg@v`
	# refuses it: build inside the downloaded module (its go.sum is
	# complete), or inside a writable copy if go wants to write there.
	log "building trufflehog $TRUFFLEHOG_VERSION (a few minutes the first time)"
	moddir=$(go mod download -json "github.com/trufflesecurity/trufflehog/v3@$TRUFFLEHOG_VERSION" |
		sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
	[ -n "$moddir" ] || { log "cannot download trufflehog $TRUFFLEHOG_VERSION"; exit 1; }
	if ! (cd "$moddir" && GOFLAGS=-mod=mod go build -o "$tmp/bin/trufflehog" .); then
		cp -r "$moddir" "$tmp/trufflehog-src"
		chmod -R u+w "$tmp/trufflehog-src"
		(cd "$tmp/trufflehog-src" && GOFLAGS=-mod=mod go build -o "$tmp/bin/trufflehog" .)
	fi
fi

log "building the corpus"
"$tmp/bin/picketbench" corpus -src "$(go env GOROOT)/src" -dst "$tmp/corpus" \
	-truth "$tmp/truth.json" -n "$PLANT" -seed "$SEED"

# measure TOOL CORES STDOUT CMD...: one timed run, appended to runs.tsv.
measure() {
	local tool=$1 cores=$2 out=$3
	shift 3
	local env=(env -u GOMAXPROCS) wrap=()
	if [ "$cores" = 1 ]; then
		env=(env GOMAXPROCS=1)
		wrap=("${pin[@]}")
	fi
	if ! (cd "$tmp" && "${env[@]}" /usr/bin/time -f '%e %U %S %M' -o "$tmp/time" \
		"${wrap[@]}" "$@" >"$out" 2>"$tmp/stderr"); then
		log "$tool failed:"; tail -20 "$tmp/stderr" >&2; exit 1
	fi
	local wall user sys rss
	read -r wall user sys rss < <(tail -1 "$tmp/time")
	printf '%s\t%s\t%s\t%s\t%s\n' "$tool" "$cores" "$wall" \
		"$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')" "$rss" >>"$tmp/runs.tsv"
	log "$tool, $cores core(s): ${wall}s wall, $((rss / 1024)) MB peak RSS"
}

mkdir -p "$tmp/scores"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for cores in 1 "$ALL"; do
	for tool in $TOOLS; do
		out="$tmp/out-$tool-$cores"
		for _ in $(seq "$RUNS"); do
			# Reports go to files: /dev/stdout is missing in some containers.
			case $tool in
			picket) measure picket "$cores" "$tmp/stdout" "$tmp/bin/picketbench" scan -dir corpus -out "$out" ;;
			gitleaks) measure gitleaks "$cores" "$tmp/stdout" "$tmp/bin/gitleaks" dir --no-banner --log-level error \
				--redact --exit-code 0 --report-format json --report-path "$out" corpus ;;
			trufflehog) measure trufflehog "$cores" "$out" "$tmp/bin/trufflehog" filesystem corpus \
				--no-verification --json --no-update --concurrency "$cores" ;;
			*) log "unknown tool $tool"; exit 1 ;;
			esac
		done
		"$tmp/bin/picketbench" score -truth "$tmp/truth.json" -tool "$tool" -in "$out" -dir corpus \
			>"$tmp/scores/score-$tool-$cores.json"
	done
	[ "$ALL" = 1 ] && break
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

{
	echo "## Secret scanners side by side"
	echo
	echo "Machine: $ALL cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM, $(go env GOVERSION), load average ${load_before} before and ${load_after} after."
	echo "Tools: picket $(git describe --tags --always --dirty 2>/dev/null || echo dev), gitleaks $GITLEAKS_VERSION, trufflehog $TRUFFLEHOG_VERSION; $RUNS runs each, medians."
	echo
	"$tmp/bin/picketbench" report -runs "$tmp/runs.tsv" -scores "$tmp/scores" -truth "$tmp/truth.json"
} | if [ -n "${OUT:-}" ]; then tee "$OUT"; else cat; fi
