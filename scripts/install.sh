#!/usr/bin/env bash
# Installs the project's npm dependencies when node_modules is missing or older than
# package-lock.json, then builds every workspace (proto generation + tsc -b, strict).
#
# `npm install` rather than `npm ci`: the registry reachable here serves only this platform's
# optional binaries (@swc/core-*, @bufbuild/buf-*), so the lockfile cannot list the others and
# npm ci rejects it as out of sync. npm install still installs the locked versions.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ENCLAVE_ROOT"
stamp="node_modules/.enclave-installed"
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  echo "[install] npm install (locked versions)"
  # The browser tests drive Debian's chromium (scripts/tools.sh); nothing downloads a browser.
  export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
  npm install --no-audit --no-fund --loglevel=error
  touch "$stamp"
fi
echo "[install] build"
npm run build --silent
