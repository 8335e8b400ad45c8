#!/usr/bin/env bash
# Game Boy reference side: build the ROM corpus from roms/*.asm with our own assembler
# and make the pure-Python PyBoy copy used for single-instruction stepping (both
# under ignored paths). Idempotent and quick when already done. Needs the venv with
# pyboy==2.8.1 (requirements.lock), nothing else.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY="${VENV:-$PWD/.venv}/bin/python"
"$PY" -m reference_envs.gameboy.build
"$PY" -c "from reference_envs.gameboy.pure import ensure_pure_copy; print('pure-Python pyboy copy:', ensure_pure_copy(verbose=True))"
