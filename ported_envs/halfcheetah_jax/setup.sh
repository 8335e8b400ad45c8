#!/usr/bin/env bash
# halfcheetah_jax set-up, all into build/ (git-ignored), each step redone only when its inputs
# change: the model constants the port reads (build/model.json), extracted from Gymnasium's
# half_cheetah.xml compiled by the pinned MuJoCo (generate_model.py; the port itself never
# imports mujoco); numpy's ziggurat tables for the exact reset draws (build/ziggurat.json);
# and the compiled programs in the on-disk compile cache (build/jax_cache).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
VENV=${VENV:-$ROOT/.venv}
PY=$VENV/bin/python
[ -x "$PY" ] || { echo "error: no Python at $PY; run ./dev.sh setup (or set VENV)" >&2; exit 2; }
XML=$(cd "$ROOT" && "$PY" -c "from ported_envs.halfcheetah_jax.generate_model import xml_path; print(xml_path())" 2>/dev/null) \
  || { echo "error: gymnasium is not importable from $PY; run ./dev.sh setup" >&2; exit 2; }
MJ=$("$PY" -c "import importlib.metadata as m; print(m.version('mujoco'))")
want=$( (cat "$HERE/generate_model.py" "$0" "$XML"; echo "mujoco $MJ") | sha256sum | cut -c1-16)
if [ "$(cat "$HERE/build/.model.stamp" 2>/dev/null)" != "$want" ]; then
  (cd "$ROOT" && "$PY" -W ignore -m ported_envs.halfcheetah_jax.generate_model "$HERE/build/model.json")
  echo "$want" > "$HERE/build/.model.stamp"
fi
# numpy's ziggurat tables, for the exact reset draws (generate_ziggurat.py -> build/ziggurat.json)
NP=$("$PY" -c "import numpy; print(numpy.__version__)")
want=$( (cat "$HERE/generate_ziggurat.py" "$0"; echo "numpy $NP") | sha256sum | cut -c1-16)
if [ "$(cat "$HERE/build/.ziggurat.stamp" 2>/dev/null)" != "$want" ]; then
  (cd "$ROOT" && "$PY" -m ported_envs.halfcheetah_jax.generate_ziggurat "$HERE/build/ziggurat.json")
  echo "$want" > "$HERE/build/.ziggurat.stamp"
fi
# Compile the programs the gate runs into the on-disk compile cache (build/jax_cache): ~1.5 min
# once, so later processes start at once. Redone when the port's code or the model changes.
want=$( (cat "$HERE"/*.py "$ROOT/adapters/halfcheetah_jax.py" "$HERE/build/model.json"; "$PY" -c "import jax; print(jax.__version__)") | sha256sum | cut -c1-16)
if [ "$(cat "$HERE/build/.cache.stamp" 2>/dev/null)" != "$want" ]; then
  (cd "$ROOT" && "$PY" -c "from adapters.halfcheetah_jax import warm_compile_cache; warm_compile_cache()")
  echo "$want" > "$HERE/build/.cache.stamp"
fi
