#!/usr/bin/env bash
# Throwaway PostgreSQL cluster for the test suite.
#
#   scripts/pg-test-cluster.sh start [--owner PID]
#       Creates a cluster in a fresh temp dir, starts it on 127.0.0.1 and a free
#       port, creates role "itsm" (LOGIN CREATEDB, random password) and database
#       "itsm_test", and prints on stdout, ready for eval:
#           export ITSM_TEST_POSTGRES='Host=127.0.0.1;Port=...;Username=itsm;Password=...;Database=itsm_test'
#           export ITSM_TEST_PGDIR='/tmp/itsm-pg.XXXXXX'
#           export ITSM_TEST_POSTGRES_SUPERUSER='Host=/tmp/itsm-pg.XXXXXX/sock;Port=...;Username=postgres;Database=postgres'
#       "itsm" is deliberately not a superuser: the tests get the rights the app
#       has in production. The superuser string (local socket, trust) is only for
#       tests that must play a superuser session, e.g. an autovacuum worker that
#       sits on a database while a fixture drops it.
#       With --owner PID the cluster belongs to that process: a later `start` or
#       `sweep` stops it if that process is gone (e.g. after a kill -9).
#   scripts/pg-test-cluster.sh stop [DIR]
#       Stops the cluster in DIR (default $ITSM_TEST_PGDIR) and removes DIR.
#       Idempotent.
#   scripts/pg-test-cluster.sh sweep
#       Stops and removes clusters whose owner process no longer exists.
#
# initdb and postgres refuse to run as root: as root every server command runs
# as the "postgres" user (runuser); as any other user they run as that user.
# Diagnostics go to stderr; stdout carries only the export lines.
set -euo pipefail

PREFIX=itsm-pg
BASE=${ITSM_PG_TMP:-/tmp}   # must be traversable by the postgres user
DB_NAME=itsm_test
DB_USER=itsm

log() { printf 'pg-test-cluster: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

find_bindir() {
    local d best=""
    if [[ -n "${ITSM_PG_BINDIR:-}" ]]; then
        [[ -x "$ITSM_PG_BINDIR/initdb" ]] || die "no initdb in ITSM_PG_BINDIR=$ITSM_PG_BINDIR"
        echo "$ITSM_PG_BINDIR"; return
    fi
    # highest installed major version
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5,5n); do
        [[ -x "$d/initdb" && -x "$d/pg_ctl" && -x "$d/psql" ]] && best=$d
    done
    [[ -n "$best" ]] || die "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin (apt-get install postgresql)"
    echo "$best"
}

if [[ $(id -u) -eq 0 ]]; then
    PG_OS_USER=postgres
    getent passwd "$PG_OS_USER" >/dev/null || die "user '$PG_OS_USER' does not exist (apt-get install postgresql creates it)"
    as_pg() { runuser -u "$PG_OS_USER" -- "$@"; }
else
    PG_OS_USER=$(id -un)
    as_pg() { "$@"; }
fi

port_in_use() {
    # A successful connect means something listens there.
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

random_port() {
    local p
    for _ in $(seq 1 200); do
        p=$(( 20000 + (RANDOM * 32768 + RANDOM) % 30000 ))
        port_in_use "$p" || { echo "$p"; return; }
    done
    die "no free port found"
}

# PID of the running postmaster of cluster DIR, or nothing. The PID from
# postmaster.pid is only trusted while that process still runs on DIR's data
# directory, so a stale file never makes us signal an unrelated process.
postmaster_pid() {
    local f=$1/data/postmaster.pid pid
    [[ -r "$f" ]] || return 0
    pid=$(head -n1 "$f")
    [[ "$pid" =~ ^[0-9]+$ ]] || return 0
    if tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$1/data"; then
        echo "$pid"
    fi
}

stop_dir() {
    local dir=$1 bindir pid
    [[ -n "$dir" ]] || die "stop: no directory given and ITSM_TEST_PGDIR is not set"
    case "$(basename "$dir")" in
        "$PREFIX".*) ;;
        *) die "stop: refusing to touch '$dir' (not a $PREFIX.* directory)" ;;
    esac
    [[ -d "$dir" ]] || return 0
    pid=$(postmaster_pid "$dir")
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
        bindir=$(cat "$dir/bindir" 2>/dev/null || find_bindir)
        as_pg "$bindir/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
        # Belt and braces: make sure the postmaster is really gone.
        for _ in $(seq 1 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$pid" 2>/dev/null; then
            log "postmaster $pid did not stop; killing it"
            kill -KILL "$pid" 2>/dev/null || true
            for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        fi
    fi
    rm -rf -- "$dir"
}

sweep() {
    local d owner
    for d in "$BASE/$PREFIX".*; do
        [[ -d "$d" && -f "$d/owner" ]] || continue
        owner=$(cat "$d/owner" 2>/dev/null || true)
        [[ "$owner" =~ ^[0-9]+$ ]] || continue
        # /proc, not kill -0: kill -0 fails for another user's live process too.
        if [[ ! -d "/proc/$owner" ]]; then
            log "removing stale cluster $d (owner $owner is gone)"
            stop_dir "$d" || true
        fi
    done
}

start() {
    local owner="" bindir dir pw port attempt sock
    while [[ $# -gt 0 ]]; do
        case "$1" in
            --owner) owner=${2:?--owner needs a pid}; shift 2 ;;
            *) die "start: unknown argument '$1'" ;;
        esac
    done
    sweep
    bindir=$(find_bindir)
    dir=$(mktemp -d "$BASE/$PREFIX.XXXXXX")
    # From here on, any failure removes what we made.
    CLEANUP_DIR=$dir
    trap 'stop_dir "$CLEANUP_DIR" 2>/dev/null || true' EXIT
    chmod 755 "$dir"
    echo "$bindir" >"$dir/bindir"
    [[ -n "$owner" ]] && echo "$owner" >"$dir/owner"
    mkdir "$dir/data" "$dir/sock"
    chmod 700 "$dir/data"
    chown -R "$PG_OS_USER": "$dir"

    pw=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')

    as_pg "$bindir/initdb" -D "$dir/data" -U postgres -E UTF8 --no-locale --no-sync \
        --auth-local=trust --auth-host=scram-sha-256 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; die "initdb failed"; }

    sock=$dir/sock
    for attempt in 1 2 3 4 5; do
        port=$(random_port)
        # Throwaway cluster: durability off for speed, loopback TCP only.
        if as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
              -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$sock -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 -c shared_buffers=64MB" \
              start >/dev/null 2>&1; then
            break
        fi
        # A port race or a real error: retry a few times, then give up.
        [[ -f "$dir/data/postmaster.pid" ]] && as_pg "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
        if [[ $attempt -eq 5 ]]; then
            tail -n 20 "$dir/server.log" >&2 || true
            die "could not start PostgreSQL"
        fi
    done

    as_pg "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h "$sock" -p "$port" -U postgres -d postgres \
        -c "CREATE ROLE $DB_USER LOGIN CREATEDB PASSWORD '$pw'" \
        -c "CREATE DATABASE $DB_NAME OWNER $DB_USER" >/dev/null \
        || die "could not create role/database"

    trap - EXIT
    echo "$port" >"$dir/port"
    printf "export ITSM_TEST_POSTGRES='Host=127.0.0.1;Port=%s;Username=%s;Password=%s;Database=%s'\n" \
        "$port" "$DB_USER" "$pw" "$DB_NAME"
    printf "export ITSM_TEST_PGDIR='%s'\n" "$dir"
    printf "export ITSM_TEST_POSTGRES_SUPERUSER='Host=%s;Port=%s;Username=postgres;Database=postgres'\n" "$sock" "$port"
}

cmd=${1:-}
[[ $# -gt 0 ]] && shift
case "$cmd" in
    start) start "$@" ;;
    stop)  stop_dir "${1:-${ITSM_TEST_PGDIR:-}}" ;;
    sweep) sweep ;;
    *) echo "usage: $0 start [--owner PID] | stop [DIR] | sweep" >&2; exit 2 ;;
esac
