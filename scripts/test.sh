#!/usr/bin/env bash
# The full test suite, from a fresh clone: installs Node 24, dependencies and the local
# infrastructure as needed, builds under strict, then runs unit, integration and end-to-end
# tests in that order against real Kafka, FerretDB, Redis and SMTP on loopback.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ENCLAVE_ROOT"
bash scripts/install.sh
bash scripts/tools.sh
echo "[test] type-check the tests themselves"
npm run typecheck:tests --silent

started_infra=0
if ! bash scripts/infra.sh status >/dev/null 2>&1; then
  bash scripts/infra.sh up
  started_infra=1
fi
cleanup() { if [ "$started_infra" = 1 ]; then bash scripts/infra.sh down || true; fi; }
trap cleanup EXIT

results="$ENCLAVE_HOME/test-results"
rm -rf "$results" && mkdir -p "$results"
status=0
for depth in unit int e2e; do
  echo "=== $depth tests"
  extra=(); [ "$depth" = unit ] || extra=(--runInBand)
  if [ "$depth" = e2e ] && [ "$started_infra" = 1 ]; then
    # End-to-end runs start every consumer group from the beginning of the service topics;
    # fresh data keeps the integration tests' events out of their way.
    bash scripts/infra.sh reset && bash scripts/infra.sh up
  fi
  # --forceExit: a socket leaked by one test must not hold CI until its time limit.
  if ! npx jest --selectProjects "$depth" "${extra[@]}" --passWithNoTests --forceExit \
      --json --outputFile "$results/$depth.json"; then
    status=1
  fi
done
node scripts/test-summary.js "$results"
exit $status
