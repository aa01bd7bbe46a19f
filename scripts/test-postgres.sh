#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests that run on PostgreSQL too.
#
#   eval "$(scripts/test-postgres.sh start)"   # prints the export line
#   cargo test --workspace
#   scripts/test-postgres.sh stop
#
# The cluster lives in $VISITNOTES_PG_DIR (default /tmp/visitnotes-test-pg),
# listens on a Unix socket in that directory only (no TCP port), and runs
# without fsync: it is for tests, and is deleted by `stop`. Each test
# creates its own database in it and drops it afterwards.
#
# As root (CI), the cluster runs as the `postgres` user (initdb refuses
# root); Debian's `postgresql` package is installed first if it is missing.
# As anyone else, it runs as that user.
set -euo pipefail

dir=${VISITNOTES_PG_DIR:-/tmp/visitnotes-test-pg}

pg_bin() {
    local bin
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    if [ -z "$bin" ] && [ "$(id -u)" = 0 ]; then
        apt-get update >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql >&2
        bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    fi
    if [ -z "$bin" ]; then
        echo "PostgreSQL is not installed: apt-get install postgresql (Debian), then run this again" >&2
        exit 1
    fi
    echo "$bin"
}

# Runs a PostgreSQL program as the cluster's owner.
as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

case "${1:-}" in
start)
    bin=$(pg_bin)
    if [ -f "$dir/data/postmaster.pid" ]; then
        "$0" stop >&2
    fi
    rm -rf "$dir"
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then
        chown postgres "$dir"
    fi
    as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust --no-sync >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; exit 1; }
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o \
        "-k $dir -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400" \
        start >&2 || { cat "$dir/server.log" >&2; exit 1; }
    echo "export VISITNOTES_TEST_POSTGRES_URL='postgresql://postgres@/postgres?host=$dir'"
    ;;
stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
        bin=$(pg_bin)
        as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true
    fi
    rm -rf "$dir"
    ;;
*)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
