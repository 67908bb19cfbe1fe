#!/usr/bin/env bash
# PostgreSQL (Debian's postgresql-15 package) on loopback: FerretDB's storage. Data in
# $ENCLAVE_HOME/data/postgres (owned by the `postgres` user when run as root: initdb refuses
# root), one database `ferretdb`, trust authentication on 127.0.0.1 only, fsync on (an
# acknowledged write survives kill -9). The installed package version is printed and recorded in
# $ENCLAVE_HOME/bin/postgres.version.
PART=postgres
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

PG_MAJOR=15 # pinned by package name (postgresql-15); Debian's point releases are security fixes
PG_BIN="/usr/lib/postgresql/$PG_MAJOR/bin"
PG_DATA="$DATA_DIR/postgres"
PG_MARKER="$PG_DATA"
PG_DB=ferretdb

installed_version() { dpkg-query -W -f='${Version}' "postgresql-$PG_MAJOR" 2>/dev/null || true; }

part_install() {
  if [ ! -x "$PG_BIN/postgres" ] || [ ! -x "$PG_BIN/initdb" ]; then
    [ "$(id -u)" -eq 0 ] || die "PostgreSQL $PG_MAJOR is not installed; install Debian's package as root: apt-get install -y postgresql-$PG_MAJOR"
    log "installing Debian's postgresql-$PG_MAJOR package"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq "postgresql-$PG_MAJOR" >&2
    [ -x "$PG_BIN/postgres" ] || die "$PG_BIN/postgres is still missing after apt-get install"
  fi
  local version
  version="$(installed_version)"
  if [ "$(cat "$BIN_DIR/postgres.version" 2>/dev/null)" != "postgresql-$PG_MAJOR $version" ]; then
    echo "postgresql-$PG_MAJOR $version" >"$BIN_DIR/postgres.version"
    log "using postgresql-$PG_MAJOR $version ($PG_BIN)"
  fi
}

# Runs a PostgreSQL program as the data directory's owner (postgres when we are root).
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || die "the postgres user is missing (it comes with Debian's postgresql-common package)"
    setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"
  else
    "$@"
  fi
}

init_data() {
  [ -f "$PG_DATA/PG_VERSION" ] && return 0
  log "initdb into $PG_DATA"
  rm -rf "$PG_DATA"
  mkdir -p "$PG_DATA"
  if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$PG_DATA"; fi
  chmod 700 "$PG_DATA"
  as_owner "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >>"$(log_file postgres)" 2>&1 ||
    { tail -n 20 "$(log_file postgres)" >&2; die "initdb failed"; }
}

part_preflight() {
  our_pid postgres "$PG_MARKER" >/dev/null && return 0
  require_free_port "$ENCLAVE_POSTGRES_PORT" "PostgreSQL" ENCLAVE_POSTGRES_PORT
}

part_start() {
  if pid="$(our_pid postgres "$PG_MARKER")"; then log "already running (pid $pid) on 127.0.0.1:$ENCLAVE_POSTGRES_PORT"; return 0; fi
  clear_stale_pid postgres "$PG_MARKER"
  part_preflight
  part_install
  init_data
  # A postmaster killed with -9 leaves its pid file; PostgreSQL recovers from its WAL on start.
  local socket_dir="$RUN_DIR/postgres-socket" as=()
  mkdir -p "$socket_dir"
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres:postgres "$socket_dir"
    as=(setpriv --reuid=postgres --regid=postgres --init-groups --) # execs: the pid stays the postmaster's
  fi
  start_detached postgres "${as[@]}" "$PG_BIN/postgres" -D "$PG_DATA" -p "$ENCLAVE_POSTGRES_PORT" \
    -c listen_addresses=127.0.0.1 -c unix_socket_directories="$socket_dir" -c max_connections=200 \
    -c log_min_messages=warning -c log_checkpoints=off
  log "started (pid $(cat "$(pid_file postgres)")) on 127.0.0.1:$ENCLAVE_POSTGRES_PORT"
}

pg_ready() { pg_isready -q -h 127.0.0.1 -p "$ENCLAVE_POSTGRES_PORT" -U postgres -d postgres; }

ensure_database() {
  pg_ready || return 1
  local exists
  exists="$(psql -h 127.0.0.1 -p "$ENCLAVE_POSTGRES_PORT" -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'")" || return 1
  [ "$exists" = 1 ] || psql -q -h 127.0.0.1 -p "$ENCLAVE_POSTGRES_PORT" -U postgres -d postgres -c "CREATE DATABASE $PG_DB" >/dev/null
}

part_health() { wait_healthy postgres "$PG_MARKER" "${ENCLAVE_POSTGRES_HEALTH_TIMEOUT:-60}" ensure_database; }

# SIGINT is PostgreSQL's fast shutdown (SIGTERM would wait for every client to disconnect).
part_stop() { stop_part postgres "$PG_MARKER" 20 INT; }

part_status() { our_pid postgres "$PG_MARKER" >/dev/null && pg_ready; }

dispatch "$@"
