#!/usr/bin/env bash
# A throwaway PostgreSQL for the adapter's real-server tests (test/postgres/server.test.ts).
#
# Sourced by .ci/run:   source .ci/postgres.sh && npx vitest run test/postgres; pg_ci_stop
# On success it exports DATABASE_URL=postgres://postgres@127.0.0.1:<port>/helpdesk, PG_CI_BINDIR
# and PG_CI_DATA, and defines pg_ci_stop (stops the server, deletes its data) and pg_ci_restart
# (an immediate restart: the server crashes and recovers). When the caller has no EXIT trap yet,
# one is set to pg_ci_stop. Run directly (`bash .ci/postgres.sh --check`) it starts, runs one
# query, stops.
#
# A test that needs a server of its own (test/postgres/worker-processes.test.ts restarts it, which
# must not hurt the other files running in parallel) runs it as a command:
#   bash .ci/postgres.sh --start          prints PG_CI_DIR=... and DATABASE_URL=..., leaves it running
#   bash .ci/postgres.sh --restart DIR    pg_ctl restart -m immediate, waits until it answers
#   bash .ci/postgres.sh --stop DIR       stops it and deletes DIR
# PG_CI_DURABLE=1 keeps synchronous_commit on: an immediate restart then loses no acknowledged
# commit (fsync may stay off: only the server crashes, not the kernel).
#
# It only ever listens on, and connects to, 127.0.0.1. Installs the Debian `postgresql` package
# when initdb/pg_ctl are missing (CI runs as root). No `set -e`: it is sourced into the caller.

pg_ci__log() { echo "[postgres.sh] $*" >&2; }

# Finds the directory holding initdb and pg_ctl; prints it.
pg_ci__bindir() {
  local dir
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    # Resolve symlinks (e.g. /usr/local/bin/initdb -> /usr/lib/postgresql/15/bin/initdb): psql lives there too.
    dirname "$(readlink -f "$(command -v initdb)")"
    return 0
  fi
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
    echo "$dir"
    return 0
  fi
  return 1
}

# Runs a command as the server's owner (postgres when we are root).
pg_ci__as_owner() {
  if [ "$(id -u)" = "0" ]; then
    if command -v runuser >/dev/null 2>&1; then
      runuser -u postgres -- "$@"
    else
      su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
    fi
  else
    "$@"
  fi
}

pg_ci__port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pg_ci_start() {
  local bindir port tries
  if ! bindir=$(pg_ci__bindir); then
    if [ "$(id -u)" != "0" ]; then
      pg_ci__log "initdb/pg_ctl not found and not root: cannot install PostgreSQL"
      return 1
    fi
    pg_ci__log "installing PostgreSQL (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    { apt-get update -qq && apt-get install -y -qq postgresql >/dev/null; } || { pg_ci__log "apt-get install postgresql failed"; return 1; }
    bindir=$(pg_ci__bindir) || { pg_ci__log "PostgreSQL installed but initdb/pg_ctl not found"; return 1; }
  fi
  if [ "$(id -u)" = "0" ] && ! id postgres >/dev/null 2>&1; then
    useradd --system --user-group --home-dir /nonexistent --shell /usr/sbin/nologin postgres || return 1
  fi

  PG_CI_DIR=$(mktemp -d /tmp/helpdesk-pg.XXXXXX) || return 1
  chmod 700 "$PG_CI_DIR"
  [ "$(id -u)" = "0" ] && chown postgres: "$PG_CI_DIR"

  # cd: runuser keeps the cwd, which the postgres user may not be allowed to read.
  (cd "$PG_CI_DIR" && pg_ci__as_owner "$bindir/initdb" -D "$PG_CI_DIR/data" --auth=trust --username=postgres \
    --encoding=UTF8 --locale=C.UTF-8 >"$PG_CI_DIR/initdb.log" 2>&1) \
    || { pg_ci__log "initdb failed:"; cat "$PG_CI_DIR/initdb.log" >&2; return 1; }

  # Durability off: a test database is thrown away, and fsync dominates commit time on CI disks.
  local sync=off
  [ "${PG_CI_DURABLE:-}" = "1" ] && sync=on
  # The probe only sees listeners: these ports lie in Linux's ephemeral range (32768-60999), so a
  # client socket may hold the port the probe found free. Then the bind fails, and the next port is tried.
  port=${PG_CI_PORT:-54329}
  tries=0
  while :; do
    if ! pg_ci__port_in_use "$port"; then
      (cd "$PG_CI_DIR" && pg_ci__as_owner "$bindir/pg_ctl" -D "$PG_CI_DIR/data" -l "$PG_CI_DIR/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_CI_DIR -c fsync=off -c synchronous_commit=$sync -c full_page_writes=off -c max_connections=200" \
        start >/dev/null) && break
      if ! grep -q 'Address already in use' "$PG_CI_DIR/server.log" 2>/dev/null; then
        pg_ci__log "the server did not start:"; cat "$PG_CI_DIR/server.log" >&2; return 1
      fi
      pg_ci__log "port $port taken after the probe; trying the next one"
      : >"$PG_CI_DIR/server.log"
    fi
    port=$((port + 1))
    tries=$((tries + 1))
    if [ "$tries" -ge 50 ]; then pg_ci__log "no free port from ${PG_CI_PORT:-54329}"; return 1; fi
  done
  export PG_CI_BINDIR=$bindir
  export PG_CI_DATA=$PG_CI_DIR/data
  PG_CI_PORT_IN_USE=$port
  PG_CI_PSQL=$bindir/psql
  [ -x "$PG_CI_PSQL" ] || PG_CI_PSQL=$(command -v psql) || { pg_ci__log "psql not found"; pg_ci_stop; return 1; }

  tries=0
  until (cd "$PG_CI_DIR" && pg_ci__as_owner "$PG_CI_PSQL" -h 127.0.0.1 -p "$port" -U postgres -d postgres -Atqc 'select 1' >/dev/null 2>&1); do
    tries=$((tries + 1))
    if [ "$tries" -ge 60 ]; then pg_ci__log "the server does not answer on 127.0.0.1:$port"; pg_ci_stop; return 1; fi
    sleep 0.5
  done
  (cd "$PG_CI_DIR" && pg_ci__as_owner "$PG_CI_PSQL" -h 127.0.0.1 -p "$port" -U postgres -d postgres -Atqc 'CREATE DATABASE helpdesk' >/dev/null) \
    || { pg_ci__log "CREATE DATABASE failed"; pg_ci_stop; return 1; }

  export DATABASE_URL="postgres://postgres@127.0.0.1:$port/helpdesk"
  pg_ci__log "PostgreSQL $("$bindir/pg_ctl" --version | awk '{print $3}') ready: $DATABASE_URL (data in $PG_CI_DIR)"
  return 0
}

# Stops the server and deletes its data directory. Safe to call twice.
pg_ci_stop() {
  if [ -n "${PG_CI_DIR:-}" ] && [ -d "$PG_CI_DIR" ]; then
    if [ -n "${PG_CI_BINDIR:-}" ] && [ -f "$PG_CI_DIR/data/postmaster.pid" ]; then
      (cd "$PG_CI_DIR" && pg_ci__as_owner "$PG_CI_BINDIR/pg_ctl" -D "$PG_CI_DIR/data" -m fast -w -t 30 stop >/dev/null 2>&1)
    fi
    rm -rf "$PG_CI_DIR"
    pg_ci__log "stopped and removed $PG_CI_DIR"
  fi
  unset PG_CI_DIR PG_CI_BINDIR PG_CI_DATA PG_CI_PSQL PG_CI_PORT_IN_USE DATABASE_URL
}

# Waits until the server in $PG_CI_DIR answers on 127.0.0.1:$1 (up to 30 s).
pg_ci__wait() {
  local tries=0 psql
  psql=${PG_CI_PSQL:-$PG_CI_BINDIR/psql}
  until (cd "$PG_CI_DIR" && pg_ci__as_owner "$psql" -h 127.0.0.1 -p "$1" -U postgres -d postgres -Atqc 'select 1' >/dev/null 2>&1); do
    tries=$((tries + 1))
    if [ "$tries" -ge 60 ]; then pg_ci__log "the server does not answer on 127.0.0.1:$1"; return 1; fi
    sleep 0.5
  done
}

# Restarts the server with `-m immediate` (every backend is killed, the server runs crash recovery
# with the options it was started with) and waits until it answers again.
pg_ci_restart() {
  local port
  [ -n "${PG_CI_DIR:-}" ] && [ -f "$PG_CI_DIR/data/postmaster.pid" ] || { pg_ci__log "no running server to restart"; return 1; }
  PG_CI_BINDIR=${PG_CI_BINDIR:-$(pg_ci__bindir)} || return 1
  port=$(sed -n 4p "$PG_CI_DIR/data/postmaster.pid")
  (cd "$PG_CI_DIR" && pg_ci__as_owner "$PG_CI_BINDIR/pg_ctl" -D "$PG_CI_DIR/data" -l "$PG_CI_DIR/server.log" -m immediate -w -t 60 restart >/dev/null) \
    || { pg_ci__log "the server did not restart:"; tail -n 20 "$PG_CI_DIR/server.log" >&2; return 1; }
  pg_ci__wait "$port"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  # Executed, not sourced: a self-check.
  if [ "${1:-}" = "--check" ]; then
    pg_ci_start || exit 1
    (cd "$PG_CI_DIR" && pg_ci__as_owner "$PG_CI_PSQL" "$DATABASE_URL" -Atqc 'select version()') || { pg_ci_stop; exit 1; }
    pg_ci_stop
    exit 0
  fi
  case "${1:-}" in
    --start)
      pg_ci_start || exit 1
      echo "PG_CI_DIR=$PG_CI_DIR"
      echo "DATABASE_URL=$DATABASE_URL"
      exit 0
      ;;
    --restart | --stop)
      case "${2:-}" in /tmp/helpdesk-pg.*) ;; *) pg_ci__log "$1 expects a directory made by --start"; exit 2 ;; esac
      PG_CI_DIR=$2
      PG_CI_BINDIR=$(pg_ci__bindir) || exit 1
      if [ "$1" = "--restart" ]; then pg_ci_restart || exit 1; else pg_ci_stop; fi
      exit 0
      ;;
  esac
  echo "usage: source .ci/postgres.sh   (or: bash .ci/postgres.sh --check | --start | --restart DIR | --stop DIR)" >&2
  exit 2
fi

if pg_ci_start; then
  [ -z "$(trap -p EXIT)" ] && trap pg_ci_stop EXIT
  true
else
  false
fi
