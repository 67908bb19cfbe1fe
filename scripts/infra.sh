#!/usr/bin/env bash
# Local infrastructure on loopback, no Docker: Kafka 3.9 (KRaft), FerretDB (MongoDB wire
# protocol) on PostgreSQL 15, Redis and a capturing SMTP server with an HTTP API.
#   bash scripts/infra.sh install   download/build everything (idempotent, cached in .enclave/)
#   bash scripts/infra.sh up        install if needed, start all, health-check, write .enclave/infra.env
#   bash scripts/infra.sh status    show each part and whether it answers
#   bash scripts/infra.sh down      stop all (data kept)
#   bash scripts/infra.sh reset     down, then delete data and logs (installed binaries kept)
# Ports (override with env): ENCLAVE_KAFKA_PORT=19092 ENCLAVE_KAFKA_CONTROLLER_PORT=19093
# ENCLAVE_MONGO_PORT=27027 ENCLAVE_POSTGRES_PORT=15432 ENCLAVE_REDIS_PORT=16379 ENCLAVE_SMTP_PORT=11025
# ENCLAVE_SMTP_API_PORT=11080. ENCLAVE_FERRETDB_BACKEND=sqlite: FerretDB on SQLite, no PostgreSQL.
source "$(dirname "$0")/env.sh"
source "$(dirname "$0")/infra/common.sh"

PARTS=(kafka postgres ferretdb redis smtp)
if [ "${ENCLAVE_FERRETDB_BACKEND:-postgresql}" = sqlite ]; then PARTS=(kafka ferretdb redis smtp); fi

part() { bash "$INFRA_SCRIPTS/$1.sh" "$2"; }

write_ports_file() {
  cat >"$PORTS_FILE.tmp" <<ENV
ENCLAVE_KAFKA_PORT=$ENCLAVE_KAFKA_PORT
ENCLAVE_KAFKA_CONTROLLER_PORT=$ENCLAVE_KAFKA_CONTROLLER_PORT
ENCLAVE_MONGO_PORT=$ENCLAVE_MONGO_PORT
ENCLAVE_POSTGRES_PORT=$ENCLAVE_POSTGRES_PORT
ENCLAVE_REDIS_PORT=$ENCLAVE_REDIS_PORT
ENCLAVE_SMTP_PORT=$ENCLAVE_SMTP_PORT
ENCLAVE_SMTP_API_PORT=$ENCLAVE_SMTP_API_PORT
ENV
  mv "$PORTS_FILE.tmp" "$PORTS_FILE"
}

write_infra_env() {
  cat >"$INFRA_ENV_FILE.tmp" <<ENV
# Written by scripts/infra.sh up; removed by down. Read by @enclave/testing loadInfraEnv().
KAFKA_BROKERS=127.0.0.1:$ENCLAVE_KAFKA_PORT
MONGO_URL=mongodb://127.0.0.1:$ENCLAVE_MONGO_PORT/
REDIS_URL=redis://127.0.0.1:$ENCLAVE_REDIS_PORT
SMTP_HOST=127.0.0.1
SMTP_PORT=$ENCLAVE_SMTP_PORT
SMTP_API_URL=http://127.0.0.1:$ENCLAVE_SMTP_API_PORT
ENV
  mv "$INFRA_ENV_FILE.tmp" "$INFRA_ENV_FILE"
}

ferretdb_storage() {
  if [ "${ENCLAVE_FERRETDB_BACKEND:-postgresql}" = sqlite ]; then echo "on SQLite"; return; fi
  echo "on $(cat "$BIN_DIR/postgres.version" 2>/dev/null || echo PostgreSQL) at 127.0.0.1:$ENCLAVE_POSTGRES_PORT"
}

summary() {
  cat >&2 <<TXT
[infra] Kafka     127.0.0.1:$ENCLAVE_KAFKA_PORT (controller $ENCLAVE_KAFKA_CONTROLLER_PORT)
[infra] FerretDB  mongodb://127.0.0.1:$ENCLAVE_MONGO_PORT/ ($(ferretdb_storage))
[infra] Redis     redis://127.0.0.1:$ENCLAVE_REDIS_PORT
[infra] SMTP      127.0.0.1:$ENCLAVE_SMTP_PORT, captured mail at http://127.0.0.1:$ENCLAVE_SMTP_API_PORT/messages
[infra] settings in $INFRA_ENV_FILE, logs in $LOG_DIR
TXT
}

# A running set keeps the ports it was started with; changing them needs a `down` first.
check_ports_unchanged() {
  [ -f "$PORTS_FILE" ] || return 0
  local p pid running=""
  for p in "${PARTS[@]}"; do
    pid="$(cat "$(pid_file "$p")" 2>/dev/null || true)"
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then running=1; fi
  done
  [ -n "$running" ] || return 0
  local key val
  while IFS='=' read -r key val; do
    [ -n "$key" ] || continue
    [ "${!key}" = "$val" ] || die "the infrastructure is running with $key=$val, not ${!key}; run \`bash scripts/infra.sh down\` before changing ports"
  done <"$PORTS_FILE"
}

cmd_install() {
  local p
  for p in "${PARTS[@]}"; do part "$p" install; done
  log "installed in ${SECONDS}s"
}

cmd_up() {
  require_node_modules kafkajs mongoose smtp-server mailparser
  local p
  check_ports_unchanged
  for p in "${PARTS[@]}"; do part "$p" preflight; done
  for p in "${PARTS[@]}"; do part "$p" install; done
  write_ports_file
  for p in "${PARTS[@]}"; do
    part "$p" start || { rm -f "$INFRA_ENV_FILE"; die "$p failed to start (the parts already started keep running; \`bash scripts/infra.sh down\` stops them)"; }
  done
  for p in redis smtp postgres ferretdb kafka; do
    [[ " ${PARTS[*]} " == *" $p "* ]] || continue
    part "$p" health || { rm -f "$INFRA_ENV_FILE"; die "$p is not healthy (log: $LOG_DIR/$p.log)"; }
    PART="$p" log "healthy"
  done
  write_infra_env
  summary
  log "up in ${SECONDS}s"
}

cmd_status() {
  local p pid bad=0
  for p in "${PARTS[@]}"; do
    pid="$(cat "$(pid_file "$p")" 2>/dev/null || true)"
    if part "$p" status; then
      printf '%-9s healthy  pid %s\n' "$p" "$pid"
    elif [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      printf '%-9s running  pid %s, but not answering (log: %s)\n' "$p" "$pid" "$(log_file "$p")"; bad=1
    else
      printf '%-9s stopped\n' "$p"; bad=1
    fi
  done
  if [ -f "$INFRA_ENV_FILE" ]; then echo "settings: $INFRA_ENV_FILE"; else echo "settings: none (run: bash scripts/infra.sh up)"; fi
  return "$bad"
}

cmd_down() {
  local p
  rm -f "$INFRA_ENV_FILE"
  for p in smtp redis ferretdb postgres kafka; do part "$p" stop; done
  rm -f "$PORTS_FILE"
}

cmd_reset() {
  cmd_down
  rm -rf "$DATA_DIR" "$LOG_DIR"
  log "data and logs deleted (installed parts kept)"
}

case "${1:-}" in
  install) cmd_install ;;
  up) cmd_up ;;
  status) cmd_status ;;
  down) cmd_down ;;
  reset) cmd_reset ;;
  *) echo "usage: bash scripts/infra.sh install|up|status|down|reset" >&2; exit 2 ;;
esac
