#!/usr/bin/env bash
# Installs the Kubernetes packaging tools into .enclave/ (idempotent, offline once cached):
#   helm                 built from the Go module proxy   -> .enclave/bin/helm
#   kubernetes-validate  from PyPI into a venv (ships the  -> .enclave/venv/bin/kubernetes-validate
#                        Kubernetes JSON schemas, so validation needs no network)
#   chromium             Debian's package (apt, as root)   -> /usr/bin/chromium
#                        for the web console's browser tests (tests/e2e/web, playwright-core)
# Prints the tool paths. Used by charts/enclave/tests/chart.int.spec.ts and tests/e2e/web.
# Versions are pinned; override with ENCLAVE_HELM_VERSION / ENCLAVE_KUBE_VALIDATE_VERSION /
# ENCLAVE_CHROMIUM_VERSION (Debian's security archive keeps only the newest chromium build, so
# the pin moves when Debian ships a new one).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

HELM_VERSION="${ENCLAVE_HELM_VERSION:-v3.22.0}"
KUBE_VALIDATE_VERSION="${ENCLAVE_KUBE_VALIDATE_VERSION:-1.37.0}"
CHROMIUM_VERSION="${ENCLAVE_CHROMIUM_VERSION:-156.0.8078.129-1~deb12u1}"

bin_dir="$ENCLAVE_HOME/bin"
venv_dir="$ENCLAVE_HOME/venv"
helm_bin="$bin_dir/helm"
validate_bin="$venv_dir/bin/kubernetes-validate"
mkdir -p "$bin_dir"

# helm: a build without ldflags reports an old default Kubernetes version, so callers pass
# --kube-version to `helm template`. The version stamp lets a pin change trigger a rebuild.
helm_stamp="$bin_dir/.helm-version"
if [ ! -x "$helm_bin" ] || [ "$(cat "$helm_stamp" 2>/dev/null)" != "$HELM_VERSION" ]; then
  command -v go >/dev/null || { echo "[tools] Go is needed to build helm (go install); none on PATH" >&2; exit 1; }
  echo "[tools] building helm $HELM_VERSION from the Go module proxy (first time takes minutes)" >&2
  GOBIN="$bin_dir" CGO_ENABLED=0 GOFLAGS=-buildvcs=false \
    go install "helm.sh/helm/v3/cmd/helm@$HELM_VERSION" >&2
  echo "$HELM_VERSION" >"$helm_stamp"
fi

validate_stamp="$venv_dir/.kubernetes-validate-version"
if [ ! -x "$validate_bin" ] || [ "$(cat "$validate_stamp" 2>/dev/null)" != "$KUBE_VALIDATE_VERSION" ]; then
  echo "[tools] installing kubernetes-validate $KUBE_VALIDATE_VERSION from PyPI into $venv_dir" >&2
  command -v python3 >/dev/null || { echo "[tools] python3 is needed for kubernetes-validate; none on PATH" >&2; exit 1; }
  [ -x "$venv_dir/bin/python" ] || python3 -m venv "$venv_dir" \
    || { echo "[tools] python3 -m venv failed (Debian: apt-get install python3-venv)" >&2; exit 1; }
  "$venv_dir/bin/python" -m pip install --quiet --disable-pip-version-check \
    "kubernetes-validate==$KUBE_VALIDATE_VERSION" >&2
  echo "$KUBE_VALIDATE_VERSION" >"$validate_stamp"
fi

# chromium: Playwright's own browser download cannot work here; the tests drive Debian's build
# through playwright-core's executablePath.
# The version of an installed package only (a removed one keeps its version in dpkg's records).
installed_chromium() { dpkg-query -W -f='${db:Status-Abbrev}|${Version}' chromium 2>/dev/null | sed -n 's/^ii *|//p'; }
if [ "$(installed_chromium)" != "$CHROMIUM_VERSION" ]; then
  [ "$(id -u)" -eq 0 ] || { echo "[tools] chromium $CHROMIUM_VERSION is not installed (found '$(installed_chromium)'); as root: apt-get install -y 'chromium=$CHROMIUM_VERSION' 'chromium-common=$CHROMIUM_VERSION'" >&2; exit 1; }
  echo "[tools] installing Debian's chromium $CHROMIUM_VERSION (apt)" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --allow-downgrades "chromium=$CHROMIUM_VERSION" "chromium-common=$CHROMIUM_VERSION" >&2
  [ "$(installed_chromium)" = "$CHROMIUM_VERSION" ] || { echo "[tools] chromium $CHROMIUM_VERSION is still not installed after apt-get install" >&2; exit 1; }
fi

echo "helm=$helm_bin"
echo "kubernetes-validate=$validate_bin"
echo "python=$venv_dir/bin/python"
echo "chromium=$(command -v chromium)"
