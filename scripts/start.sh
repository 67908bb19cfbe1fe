#!/usr/bin/env bash
# Starts the whole platform locally: installs Node 24 and dependencies, builds, starts the
# infrastructure (Kafka, FerretDB, Redis, SMTP catcher) and every service plus a fake
# OpenAI-compatible upstream, then prints where to point curl or a browser.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ENCLAVE_ROOT"
bash scripts/install.sh
bash scripts/infra.sh up
exec node scripts/local-stack.js
