#!/usr/bin/env bash
# Build the emurust wheel (maturin, release) and install it into $VENV.
# Idempotent: skips the build when the installed wheel was built from the same sources.
# Needs: cargo (Rust toolchain) and network access to the Rust crate registry on the first build only.
set -euo pipefail
cd "$(dirname "$0")"
VENV=${VENV:-$(cd .. && pwd)/.venv}
PY="$VENV/bin/python"
[ -x "$PY" ] || { echo "error: no Python at $PY; run ./dev.sh setup or set VENV" >&2; exit 2; }

src_hash=$(cat Cargo.toml Cargo.lock pyproject.toml $(find src -name '*.rs' | LC_ALL=C sort) | sha256sum | cut -c1-16)
stamp="$VENV/.emurust-source-hash"
if [ "$(cat "$stamp" 2>/dev/null)" = "$src_hash" ] && "$PY" -c "import emurust" 2>/dev/null; then
  echo "emurust: installed wheel matches sources ($src_hash), nothing to do" >&2
  exit 0
fi

command -v cargo >/dev/null || {
  echo "error: cargo not found. Install Rust (https://rustup.rs: curl ... | sh, then restart the shell) and re-run ./dev.sh setup" >&2
  exit 2
}
MATURIN="$VENV/bin/maturin"
if [ ! -x "$MATURIN" ]; then
  "$PY" -m pip install -q "maturin>=1.5,<2"
fi

export CARGO_BUILD_JOBS=${CARGO_BUILD_JOBS:-2}
rm -f target/wheels/emurust-*.whl
# Profile-guided when pgo.sh can make the profile (layout only; EMURUST_PGO=0 turns it off).
pgo_flags=""
if [ "${EMURUST_PGO:-1}" != 0 ]; then
  if profile=$(bash pgo.sh "$PY"); then
    pgo_flags="-Cprofile-use=$profile"
    echo "emurust: profile-guided build ($profile)" >&2
  else
    echo "emurust: building without profile-guided optimization (see above)" >&2
  fi
fi
RUSTFLAGS="${RUSTFLAGS:-} $pgo_flags" "$MATURIN" build --release --locked --interpreter "$PY" --out target/wheels >&2
"$PY" -m pip install -q --force-reinstall --no-deps target/wheels/emurust-*.whl
"$PY" -c "import emurust" || { echo "error: emurust wheel installed but does not import" >&2; exit 1; }
echo "$src_hash" > "$stamp"
echo "emurust: built and installed ($src_hash)" >&2
