#!/usr/bin/env bash
# Installs k6 (Grafana's load-testing tool) into .enclave/bin/k6, built from the Go module proxy
# with the machine's Go (idempotent; a version stamp lets a pin change trigger a rebuild).
# Prints the binary's path on stdout. Used by loadtests/run-loadtest.js.
# Pin: v1.8.1 is the newest v1 the module proxy lists (`go list -m -versions go.k6.io/k6`); it
# needs Go >= 1.25. Override with ENCLAVE_K6_VERSION.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

K6_VERSION="${ENCLAVE_K6_VERSION:-v1.8.1}"
bin_dir="$ENCLAVE_HOME/bin"
k6_bin="$bin_dir/k6"
stamp="$bin_dir/.k6-version"
mkdir -p "$bin_dir"

if [ ! -x "$k6_bin" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$K6_VERSION" ]; then
  command -v go >/dev/null || { echo "[k6] Go is required to build k6 (https://go.dev/dl/)" >&2; exit 1; }
  echo "[k6] building k6 $K6_VERSION from the Go module proxy (first time takes several minutes)" >&2
  GOBIN="$bin_dir" CGO_ENABLED=0 GOFLAGS=-buildvcs=false \
    go install "go.k6.io/k6@$K6_VERSION" >&2
  echo "$K6_VERSION" >"$stamp"
fi
export K6_NO_USAGE_REPORT=true
"$k6_bin" version >/dev/null
echo "$k6_bin"
