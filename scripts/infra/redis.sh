#!/usr/bin/env bash
# Redis from Debian's redis-server package, in memory only (no RDB, no AOF), on loopback.
PART=redis
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

REDIS_DATA="$DATA_DIR/redis"
REDIS_MARKER=redis-server

part_install() {
  if command -v redis-server >/dev/null && command -v redis-cli >/dev/null; then return 0; fi
  if [ "$(id -u)" -ne 0 ]; then
    die "redis-server is not installed; install Debian's package as root: apt-get install -y redis-server"
  fi
  log "installing Debian's redis-server package"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq redis-server >&2
  command -v redis-server >/dev/null || die "redis-server is still not on PATH after apt-get install"
}

part_preflight() {
  our_pid redis "$REDIS_MARKER" >/dev/null && return 0
  require_free_port "$ENCLAVE_REDIS_PORT" "Redis" ENCLAVE_REDIS_PORT
}

part_start() {
  if pid="$(our_pid redis "$REDIS_MARKER")"; then log "already running (pid $pid) on 127.0.0.1:$ENCLAVE_REDIS_PORT"; return 0; fi
  clear_stale_pid redis "$REDIS_MARKER"
  part_preflight
  part_install
  mkdir -p "$REDIS_DATA"
  printf '\n===== redis start %s =====\n' "$(date -u +%FT%TZ)" >>"$(log_file redis)"
  # --daemonize: redis forks, writes its own pid file and removes it when it exits.
  redis-server --port "$ENCLAVE_REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
    --daemonize yes --pidfile "$(pid_file redis)" --logfile "$(log_file redis)" --dir "$REDIS_DATA" \
    >>"$(log_file redis)" 2>&1 </dev/null || die "redis-server failed to start; see $(log_file redis)"
  local i
  for i in $(seq 1 50); do [ -s "$(pid_file redis)" ] && break; sleep 0.1; done
  [ -s "$(pid_file redis)" ] || { tail -n 20 "$(log_file redis)" >&2; die "redis-server wrote no pid file"; }
  log "started (pid $(cat "$(pid_file redis)")) on 127.0.0.1:$ENCLAVE_REDIS_PORT"
}

ping_redis() { [ "$(redis-cli -h 127.0.0.1 -p "$ENCLAVE_REDIS_PORT" ping 2>/dev/null)" = PONG ]; }

part_health() { wait_healthy redis "$REDIS_MARKER" "${ENCLAVE_REDIS_HEALTH_TIMEOUT:-15}" ping_redis; }

part_stop() { stop_part redis "$REDIS_MARKER" 10; }

part_status() { our_pid redis "$REDIS_MARKER" >/dev/null && ping_redis; }

dispatch "$@"
