#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL cluster:
#
#   scripts/postgres.sh go test ./app/store/...
#
# It creates a cluster in a temporary directory, listening only on a unix
# socket inside that directory (no TCP port to collide with anything),
# with fsync off (the data is thrown away), runs the command with
# PICKET_TEST_POSTGRES_URL set to a superuser URL of the cluster and
# PICKET_REQUIRE_POSTGRES=1 (so tests fail rather than skip without it),
# then stops the cluster and removes the directory, whatever the command
# did. The command's exit status is the script's.
#
# PostgreSQL refuses to run as root; as root the cluster runs as
# $PICKET_PG_USER (default: nobody). initdb and pg_ctl are looked up on
# PATH, then in /usr/lib/postgresql/*/bin (Debian's layout), or in
# $PG_BIN if set.
set -euo pipefail

if [ $# -eq 0 ]; then
	echo "usage: $0 COMMAND [ARG...]" >&2
	exit 2
fi

find_bin() {
	local name=$1 dir
	if [ -n "${PG_BIN:-}" ] && [ -x "$PG_BIN/$name" ]; then
		echo "$PG_BIN/$name"
		return
	fi
	if command -v "$name" >/dev/null 2>&1; then
		command -v "$name"
		return
	fi
	# The newest installed major version first.
	for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n -r); do
		if [ -x "$dir/$name" ]; then
			echo "$dir/$name"
			return
		fi
	done
	echo "postgres.sh: $name not found (install PostgreSQL, or set PG_BIN)" >&2
	return 1
}

initdb=$(find_bin initdb)
pg_ctl=$(find_bin pg_ctl)

# as_owner runs a command as the cluster's owner.
owner=$(id -un)
as_owner() { "$@"; }
if [ "$(id -u)" -eq 0 ]; then
	owner=${PICKET_PG_USER:-nobody}
	if command -v runuser >/dev/null 2>&1; then
		as_owner() { runuser -u "$owner" -- "$@"; }
	else
		as_owner() { su -s /bin/sh "$owner" -c '"$0" "$@"' -- "$@"; }
	fi
fi

# A short path: the socket's path must fit in 107 bytes.
dir=$(mktemp -d "${TMPDIR:-/tmp}/picket-pg.XXXXXX")
cleanup() {
	as_owner "$pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
if [ "$(id -u)" -eq 0 ]; then
	chown "$owner" "$dir"
	if ! as_owner test -w "$dir"; then
		# $TMPDIR is under a directory the owner cannot enter (e.g. /root).
		rm -rf "$dir"
		dir=$(mktemp -d /tmp/picket-pg.XXXXXX)
		chown "$owner" "$dir"
	fi
fi

as_owner "$initdb" -D "$dir/data" -U postgres --auth=trust --no-locale -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 ||
	{ cat "$dir/initdb.log" >&2; exit 1; }
# Many test packages run at once, each with pools and River clients.
opts="-c listen_addresses='' -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400"
as_owner "$pg_ctl" -D "$dir/data" -l "$dir/server.log" -o "$opts" -w -t 60 start >/dev/null ||
	{ cat "$dir/server.log" >&2; exit 1; }

export PICKET_TEST_POSTGRES_URL="postgres://postgres@/postgres?host=$dir&sslmode=disable"
export PICKET_REQUIRE_POSTGRES=1
echo "postgres.sh: PostgreSQL $("$pg_ctl" --version | awk '{print $3}') at $PICKET_TEST_POSTGRES_URL" >&2

set +e
"$@"
rc=$?
set -e
exit $rc
