#!/usr/bin/env bash
# Shared helpers for scripts/infra/*.sh: paths under $ENCLAVE_HOME, ports, pid files, waiting.
# Sourced (never run) by each part script; sources scripts/env.sh for Node 24.
set -euo pipefail

_infra_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../env.sh
source "$_infra_dir/../env.sh"
INFRA_SCRIPTS="$_infra_dir"

BIN_DIR="$ENCLAVE_HOME/bin"
DATA_DIR="$ENCLAVE_HOME/data"
LOG_DIR="$ENCLAVE_HOME/logs"
RUN_DIR="$ENCLAVE_HOME/run"
INFRA_ENV_FILE="$ENCLAVE_HOME/infra.env"
PORTS_FILE="$RUN_DIR/ports.env"
mkdir -p "$BIN_DIR" "$DATA_DIR" "$LOG_DIR" "$RUN_DIR"

# Ports: an explicit ENCLAVE_*_PORT wins, then the ports of the running set (run/ports.env), then
# fixed high defaults.
_explicit_ports="$(env | grep -E '^ENCLAVE_[A-Z_]+_PORT=' || true)"
if [ -f "$PORTS_FILE" ]; then
  # shellcheck disable=SC1090
  source "$PORTS_FILE"
fi
if [ -n "$_explicit_ports" ]; then
  while IFS= read -r _line; do export "${_line?}"; done <<<"$_explicit_ports"
fi
: "${ENCLAVE_KAFKA_PORT:=19092}"
: "${ENCLAVE_KAFKA_CONTROLLER_PORT:=19093}"
: "${ENCLAVE_MONGO_PORT:=27027}"
: "${ENCLAVE_POSTGRES_PORT:=15432}"
: "${ENCLAVE_REDIS_PORT:=16379}"
: "${ENCLAVE_SMTP_PORT:=11025}"
: "${ENCLAVE_SMTP_API_PORT:=11080}"
export ENCLAVE_KAFKA_PORT ENCLAVE_KAFKA_CONTROLLER_PORT ENCLAVE_MONGO_PORT ENCLAVE_POSTGRES_PORT ENCLAVE_REDIS_PORT \
  ENCLAVE_SMTP_PORT ENCLAVE_SMTP_API_PORT

log() { printf '[infra%s] %s\n' "${PART:+:$PART}" "$*" >&2; }
die() { printf '[infra%s] ERROR: %s\n' "${PART:+:$PART}" "$*" >&2; exit 1; }

pid_file() { echo "$RUN_DIR/$1.pid"; }
log_file() { echo "$LOG_DIR/$1.log"; }

# The pid recorded for a part, if that process is alive and its command line contains the
# part's marker (so a recycled pid of some other program is never taken for ours).
our_pid() {
  local part="$1" marker="$2" file pid
  file="$(pid_file "$part")"
  [ -f "$file" ] || return 1
  pid="$(tr -dc '0-9' <"$file")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$marker" || return 1
  echo "$pid"
}

# Removes a pid file whose process is gone or is not ours.
clear_stale_pid() {
  local part="$1" marker="$2"
  if ! our_pid "$part" "$marker" >/dev/null; then rm -f "$(pid_file "$part")"; fi
}

port_in_use() {
  local port="$1"
  if command -v ss >/dev/null; then
    [ -n "$(ss -Hltn "sport = :$port" 2>/dev/null)" ] && return 0
  fi
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
}

# Fails when a port we are about to bind is held by a process that we did not start.
require_free_port() {
  local port="$1" what="$2" var="$3" holder=""
  if port_in_use "$port"; then
    command -v ss >/dev/null && holder="$(ss -Hltnp "sport = :$port" 2>/dev/null | grep -oE 'users:\(\(.*\)\)' | head -1 || true)"
    die "port $port for $what is already in use by a process infra.sh did not start${holder:+ ($holder)}. Stop it, or pick another port: $var=<port> bash scripts/infra.sh up"
  fi
}

# Starts a command detached from this shell (own session, no terminal), output to the part's
# log, and records its real pid (the exec'd program's) in the part's pid file.
start_detached() {
  local part="$1"; shift
  local pidf logf
  pidf="$(pid_file "$part")"; logf="$(log_file "$part")"
  rm -f "$pidf"
  printf '\n===== %s start %s =====\n' "$part" "$(date -u +%FT%TZ)" >>"$logf"
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$pidf" "$@" >>"$logf" 2>&1 </dev/null &
  local i
  for i in $(seq 1 50); do [ -s "$pidf" ] && return 0; sleep 0.1; done
  die "$part did not record its pid in $pidf"
}

# Stops a part by its pid file: TERM (or the given signal), then KILL after the grace period.
# Never touches a pid that is not ours.
stop_part() {
  local part="$1" marker="$2" grace="${3:-15}" signal="${4:-TERM}" pid i
  if ! pid="$(our_pid "$part" "$marker")"; then
    rm -f "$(pid_file "$part")"
    log "not running"
    return 0
  fi
  kill -"$signal" "$pid" 2>/dev/null || true
  for i in $(seq 1 $((grace * 10))); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "still running after ${grace}s, sending KILL to pid $pid"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 0.2
  fi
  rm -f "$(pid_file "$part")"
  log "stopped (pid $pid)"
}

# Repeats a check until it succeeds, the part's process dies, or the timeout passes; on failure
# prints the tail of the part's log.
wait_healthy() {
  local part="$1" marker="$2" timeout="$3"; shift 3
  local deadline=$((SECONDS + timeout))
  while true; do
    if "$@" >/dev/null 2>&1; then return 0; fi
    if ! our_pid "$part" "$marker" >/dev/null; then
      log "process exited before becoming healthy; last lines of $(log_file "$part"):"
      tail -n 40 "$(log_file "$part")" >&2 || true
      return 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      log "not healthy after ${timeout}s; last lines of $(log_file "$part"):"
      tail -n 40 "$(log_file "$part")" >&2 || true
      return 1
    fi
    sleep 1
  done
}

require_node_modules() {
  local m
  for m in "$@"; do
    [ -d "$ENCLAVE_ROOT/node_modules/$m" ] || die "node_modules/$m is missing: run \`npm install\` (or \`npm ci\`) at the repository root before \`bash scripts/infra.sh up\`"
  done
}

# One-shot probe through scripts/infra/probe.js (kafka | mongo | http).
probe() { node "$INFRA_SCRIPTS/probe.js" "$@"; }

# Dispatches "<part>.sh <command>" to the part's functions.
dispatch() {
  local cmd="${1:-}"
  case "$cmd" in
    install | preflight | start | health | stop | status) "part_$cmd" ;;
    *) die "usage: $0 install|preflight|start|health|stop|status" ;;
  esac
}
