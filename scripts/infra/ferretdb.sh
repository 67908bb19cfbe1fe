#!/usr/bin/env bash
# FerretDB v1 (MongoDB wire protocol) on loopback, storing in the local PostgreSQL (postgres.sh;
# README: "Local database: measured choice"). ENCLAVE_FERRETDB_BACKEND=sqlite keeps the former
# SQLite backend (data in $ENCLAVE_HOME/data/ferretdb/sqlite), for comparison only.
# Built from the Go module proxy into $ENCLAVE_HOME/bin/ferretdb.
PART=ferretdb
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

FERRETDB_VERSION=v1.24.0 # v1.24.1 is not served by every module proxy mirror
FERRETDB_MODULE=github.com/FerretDB/FerretDB
FERRETDB_BIN="$BIN_DIR/ferretdb"
FERRETDB_DATA="$DATA_DIR/ferretdb"
FERRETDB_MARKER="$FERRETDB_BIN"
MONGO_URL="mongodb://127.0.0.1:$ENCLAVE_MONGO_PORT/"
FERRETDB_BACKEND="${ENCLAVE_FERRETDB_BACKEND:-postgresql}"
POSTGRES_URL="postgres://postgres@127.0.0.1:$ENCLAVE_POSTGRES_PORT/ferretdb"

backend_args() {
  case "$FERRETDB_BACKEND" in
    postgresql) echo "--handler=postgresql --postgresql-url=$POSTGRES_URL" ;;
    sqlite) echo "--handler=sqlite --sqlite-url=file:$FERRETDB_DATA/sqlite/" ;;
    *) die "ENCLAVE_FERRETDB_BACKEND must be postgresql or sqlite, not $FERRETDB_BACKEND" ;;
  esac
}

installed_version() { "$FERRETDB_BIN" --version 2>/dev/null | sed -nE 's/^version: *(v[0-9.]+).*/\1/p' | head -1; }

part_install() {
  if [ -x "$FERRETDB_BIN" ] && [ "$(installed_version)" = "$FERRETDB_VERSION" ]; then return 0; fi
  command -v go >/dev/null || die "go (1.22+) is required to build FerretDB; install Go (https://go.dev/dl or Debian golang)"
  log "building FerretDB $FERRETDB_VERSION from the Go module proxy (a few minutes the first time)"
  local src="$ENCLAVE_HOME/build/ferretdb-src" dir
  dir="$(go mod download -json "$FERRETDB_MODULE@$FERRETDB_VERSION" | sed -nE 's/^\s*"Dir": "(.*)",?$/\1/p')"
  [ -n "$dir" ] && [ -d "$dir" ] || die "go mod download did not give a module directory for $FERRETDB_MODULE@$FERRETDB_VERSION"
  rm -rf "$src"
  mkdir -p "$(dirname "$src")"
  cp -R "$dir" "$src"
  chmod -R u+w "$src"
  # The module lacks the version file that `ferretdb` reads at start-up (a plain `go install`
  # builds a binary that panics), so write it before building.
  mkdir -p "$src/build/version"
  printf '%s\n' "$FERRETDB_VERSION" >"$src/build/version/version.txt"
  (cd "$src" && CGO_ENABLED=0 go build -buildvcs=false -o "$FERRETDB_BIN.tmp" ./cmd/ferretdb) >&2
  mv "$FERRETDB_BIN.tmp" "$FERRETDB_BIN"
  rm -rf "$src"
  [ "$(installed_version)" = "$FERRETDB_VERSION" ] || die "the built ferretdb does not report version $FERRETDB_VERSION"
}

part_preflight() {
  our_pid ferretdb "$FERRETDB_MARKER" >/dev/null && return 0
  require_free_port "$ENCLAVE_MONGO_PORT" "FerretDB" ENCLAVE_MONGO_PORT
}

part_start() {
  if pid="$(our_pid ferretdb "$FERRETDB_MARKER")"; then
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "--handler=$FERRETDB_BACKEND" ||
      log "WARNING: the running FerretDB (pid $pid) does not use the $FERRETDB_BACKEND backend; \`bash scripts/infra.sh down\` then \`up\` switches it"
    log "already running (pid $pid) on $MONGO_URL"
    return 0
  fi
  clear_stale_pid ferretdb "$FERRETDB_MARKER"
  part_preflight
  part_install
  mkdir -p "$FERRETDB_DATA/sqlite" "$FERRETDB_DATA/state"
  # shellcheck disable=SC2046 # backend_args is words without spaces
  start_detached ferretdb "$FERRETDB_BIN" $(backend_args) \
    --listen-addr="127.0.0.1:$ENCLAVE_MONGO_PORT" --telemetry=disable --debug-addr=- \
    --state-dir="$FERRETDB_DATA/state" --log-level=warn
  log "started (pid $(cat "$(pid_file ferretdb)")) on $MONGO_URL, backend $FERRETDB_BACKEND"
}

part_health() {
  require_node_modules mongoose
  wait_healthy ferretdb "$FERRETDB_MARKER" "${ENCLAVE_MONGO_HEALTH_TIMEOUT:-30}" probe mongo "$MONGO_URL"
}

part_stop() { stop_part ferretdb "$FERRETDB_MARKER" 10; }

part_status() {
  our_pid ferretdb "$FERRETDB_MARKER" >/dev/null && probe mongo "$MONGO_URL" 2>/dev/null
}

dispatch "$@"
