#!/usr/bin/env bash
# pokejax set-up: the native sodium (ChaCha20) kernel, built with the C++ compiler into build/
# (git-ignored) under a name that hashes its source, so this is a no-op until the source changes.
# The port builds it on first use too, and falls back to its pure-JAX stream where it cannot.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
VENV=${VENV:-$ROOT/.venv}
PY=$VENV/bin/python
[ -x "$PY" ] || { echo "error: no Python at $PY; run ./dev.sh setup (or set VENV)" >&2; exit 2; }
(cd "$ROOT" && "$PY" -c "from ported_envs.pokejax import sodium_native; print('pokejax native sodium kernel:', sodium_native.build())")
