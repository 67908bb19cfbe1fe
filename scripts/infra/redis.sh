#!/usr/bin/env bash
# Redis from Debian's redis-server package, in memory only (no RDB, no AOF), on loopback.
PART=redis
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

REDIS_DATA="$DATA_DIR/redis"
REDIS_MARKER=redis-server

# Pinned to an exact upstream release; Debian's security revisions of it (7.0.15-1~deb12uN) are
# accepted, since the archive keeps only the newest revision of a release.
REDIS_VERSION=7.0.15

installed_redis_version() { redis-server --version 2>/dev/null | sed -nE 's/.* v=([0-9.]+).*/\1/p'; }

part_install() {
  if [ "$(installed_redis_version)" = "$REDIS_VERSION" ] && command -v redis-cli >/dev/null; then return 0; fi
  if [ "$(id -u)" -ne 0 ]; then
    die "Redis $REDIS_VERSION is not installed (found '$(installed_redis_version)'); as root: apt-get install -y 'redis-server=5:$REDIS_VERSION-*'"
  fi
  log "installing Debian's redis-server $REDIS_VERSION"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --allow-downgrades "redis-server=5:$REDIS_VERSION-*" "redis-tools=5:$REDIS_VERSION-*" >&2
  [ "$(installed_redis_version)" = "$REDIS_VERSION" ] || die "redis-server $REDIS_VERSION is still not on PATH after apt-get install"
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
