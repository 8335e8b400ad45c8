#!/usr/bin/env bash
# The one set-up path: make .venv, install the pinned stack, build every bundled
# reference and port, then run the gate or the tests.
#   ./dev.sh gate    set up, then run the default gate over every bundled pair (quick tier)
#   ./dev.sh test    set up, then run the test suite
#   ./dev.sh setup   set up only
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
PY=${PYTHON:-python3.11}

setup() {
  if [ ! -x .venv/bin/python ]; then
    command -v "$PY" >/dev/null || { echo "error: $PY not found; install Python 3.11" >&2; exit 2; }
    "$PY" -m venv .venv
  fi
  local stamp=.venv/.equiv-installed want
  want=$(cat requirements.lock pyproject.toml | sha256sum | cut -c1-16)
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    .venv/bin/python -m pip install -q --upgrade pip
    .venv/bin/python -m pip install -q -r requirements.lock
    .venv/bin/python -m pip install -q --no-deps -e .
    echo "$want" > "$stamp"
  fi
  # The report is tested in a real browser: Debian's Chromium, installed where missing.
  if ! command -v chromium >/dev/null 2>&1; then
    echo "== installing Debian's chromium (for the report's browser test)" >&2
    if [ "$(id -u)" = 0 ]; then apt-get install -y -q chromium >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null; }
    else sudo apt-get install -y -q chromium >/dev/null || echo "warning: install chromium (apt-get install chromium) for tests/core/test_report_browser.py" >&2
    fi
  fi
  # Each component builds itself (idempotent, skips work already done).
  for script in reference_envs/*/setup.sh ported_envs/*/setup.sh rust/setup.sh; do
    [ -f "$script" ] || continue
    echo "== $script" >&2
    VENV="$ROOT/.venv" bash "$script"
  done
}

case "${1:-}" in
  setup) setup ;;
  gate) shift; setup; exec .venv/bin/equiv gate "$@" ;;
  # One pytest worker per core (pytest-xdist), each taking whole files so a module's compiled
  # fixtures are built once; EQUIV_TEST_WORKERS=0 runs in one process.
  test) shift; setup; exec .venv/bin/python -m pytest -q -n "${EQUIV_TEST_WORKERS:-logical}" --dist loadfile "$@" ;;
  *) echo "usage: ./dev.sh gate|test|setup [args]" >&2; exit 2 ;;
esac
