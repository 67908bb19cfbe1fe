#!/usr/bin/env bash
# The capturing SMTP server (scripts/smtp-catcher.js) and its HTTP API, on loopback.
PART=smtp
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

SMTP_STORE="$DATA_DIR/smtp"
SMTP_SCRIPT="$ENCLAVE_ROOT/scripts/smtp-catcher.js"
SMTP_MARKER=smtp-catcher.js
API_URL="http://127.0.0.1:$ENCLAVE_SMTP_API_PORT"

part_install() { require_node_modules smtp-server mailparser; }

part_preflight() {
  our_pid smtp "$SMTP_MARKER" >/dev/null && return 0
  require_free_port "$ENCLAVE_SMTP_PORT" "the SMTP catcher" ENCLAVE_SMTP_PORT
  require_free_port "$ENCLAVE_SMTP_API_PORT" "the SMTP catcher's HTTP API" ENCLAVE_SMTP_API_PORT
}

part_start() {
  if pid="$(our_pid smtp "$SMTP_MARKER")"; then log "already running (pid $pid) on 127.0.0.1:$ENCLAVE_SMTP_PORT, API $API_URL"; return 0; fi
  clear_stale_pid smtp "$SMTP_MARKER"
  part_preflight
  part_install
  mkdir -p "$SMTP_STORE"
  SMTP_PORT="$ENCLAVE_SMTP_PORT" SMTP_API_PORT="$ENCLAVE_SMTP_API_PORT" SMTP_STORE_DIR="$SMTP_STORE" \
    start_detached smtp node "$SMTP_SCRIPT"
  log "started (pid $(cat "$(pid_file smtp)")) on 127.0.0.1:$ENCLAVE_SMTP_PORT, API $API_URL"
}

part_health() {
  wait_healthy smtp "$SMTP_MARKER" "${ENCLAVE_SMTP_HEALTH_TIMEOUT:-15}" probe http "$API_URL/messages"
}

part_stop() { stop_part smtp "$SMTP_MARKER" 10; }

part_status() { our_pid smtp "$SMTP_MARKER" >/dev/null && probe http "$API_URL/messages" 2>/dev/null; }

dispatch "$@"
