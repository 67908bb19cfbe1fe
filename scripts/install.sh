#!/usr/bin/env bash
# Installs the project's npm dependencies (npm ci) when node_modules is missing or older than
# package-lock.json, then builds every workspace (proto generation + tsc -b, strict).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ENCLAVE_ROOT"
stamp="node_modules/.enclave-installed"
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  echo "[install] npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  touch "$stamp"
fi
echo "[install] build"
npm run build --silent
