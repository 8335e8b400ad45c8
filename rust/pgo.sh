#!/usr/bin/env bash
# Profile data for emurust's profile-guided build (called by setup.sh): builds the wheel
# instrumented (the same maturin build as the final one, so the compiler sees the same code),
# runs pgo_train.py over the Game Boy ROM corpus, merges the counts and prints the .profdata
# path. With it the compiler lays the CPU loop out for the paths real runs take (README.md,
# Performance: about +25% frames per CPU-second on the CPU-bound ROM). Layout only, never
# behaviour. Exits non-zero, saying why, when something it needs is missing (llvm-profdata
# matching this rustc: `rustup component add llvm-tools`; the ROM corpus); setup.sh then builds
# without it.
set -euo pipefail
cd "$(dirname "$0")"
PY=${1:?usage: pgo.sh PYTHON}
ROMS=../reference_envs/gameboy/build

sysroot=$(rustc --print sysroot)
host=$(rustc -vV | sed -n 's/^host: //p')
PROFDATA="$sysroot/lib/rustlib/$host/bin/llvm-profdata"
if [ ! -x "$PROFDATA" ] && command -v rustup >/dev/null; then
  timeout 60 rustup component add llvm-tools >&2 || true  # bounded: a machine without network skips it
fi
[ -x "$PROFDATA" ] || {
  echo "emurust: no llvm-profdata for this rustc ($PROFDATA; rustup component add llvm-tools)" >&2
  exit 1
}
[ -f "$ROMS/boot.bin" ] || { echo "emurust: no ROM corpus in $ROMS (reference_envs/gameboy/setup.sh)" >&2; exit 1; }

work="$PWD/target/pgo"
rm -rf "$work"
mkdir -p "$work/raw" "$work/ext"
RUSTFLAGS="${RUSTFLAGS:-} -Cprofile-generate=$work/raw" CARGO_TARGET_DIR="$PWD/target/pgo-build" \
  "$(dirname "$PY")/maturin" build --release --locked --interpreter "$PY" --out "$work/wheel" >&2
"$PY" -m zipfile -e "$work"/wheel/emurust-*.whl "$work/ext"
"$PY" pgo_train.py "$work/ext" "$ROMS" >&2
"$PROFDATA" merge -o "$work/emurust.profdata" "$work/raw" >&2
echo "$work/emurust.profdata"
