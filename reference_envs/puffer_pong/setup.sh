#!/usr/bin/env bash
# Build the reference for the pong family: PufferLib 3.0.0's C Pong binding, and nothing else.
#
# `pip install pufferlib==3.0.0` cannot be used: there is no wheel, the sdist's setup.py
# imports torch and downloads raylib/box2d at import time, and its declared dependencies
# clash with ours (numpy<2). So: let pip fetch the pinned sdist (hash-checked), keep the
# unpacked source when its metadata step fails as expected, and compile only
# pufferlib/ocean/pong/binding.c with the flags setup.py uses (-O2 -flto, no fast-math),
# against the raylib 5.5 static library that ships inside the sdist.
# Nothing of pufferlib's source is committed; everything lands in build/ (git-ignored).
# Idempotent: exits at once when the binding for this Python is already built.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
VENV=${VENV:-$(cd "$HERE/../.." && pwd)/.venv}
PY=$VENV/bin/python
BUILD=$HERE/build
VERSION=3.0.0
SDIST_SHA256=7df3a3e3f5f894d78d2a1f5374097890aec01473183e748abefe4f3faa10eaa9

[ -x "$PY" ] || { echo "error: no Python at $PY; run ./dev.sh setup (or set VENV)" >&2; exit 2; }
command -v gcc >/dev/null || { echo "error: gcc not found; install it (apt-get install gcc)" >&2; exit 2; }

SUFFIX=$("$PY" -c "import sysconfig; print(sysconfig.get_config_var('EXT_SUFFIX'))")
SO=$BUILD/binding$SUFFIX
STAMP=$BUILD/.built
WANT="pufferlib==$VERSION sha256=$SDIST_SHA256 $(sha256sum "$0" | cut -c1-16) $SUFFIX"
if [ -f "$SO" ] && [ "$(cat "$STAMP" 2>/dev/null)" = "$WANT" ]; then
  exit 0
fi

mkdir -p "$BUILD"
SRC=$BUILD/src
if [ ! -f "$SRC/pong/pong.h" ]; then
  rm -rf "$BUILD/tmp" "$BUILD/dl" && mkdir -p "$BUILD/tmp"
  echo "pufferlib==$VERSION --hash=sha256:$SDIST_SHA256" > "$BUILD/requirement.txt"
  echo "fetching the pufferlib==$VERSION sdist (hash-checked)..." >&2
  # Expected to fail in the metadata step; --no-clean keeps the unpacked, verified source.
  TMPDIR=$BUILD/tmp "$PY" -m pip download -q --no-deps --no-build-isolation --no-clean \
    -r "$BUILD/requirement.txt" -d "$BUILD/dl" >"$BUILD/pip.log" 2>&1 || true
  UNPACKED=$(ls -d "$BUILD"/tmp/pip-download-*/pufferlib_* 2>/dev/null | head -n1 || true)
  if [ -z "$UNPACKED" ] || [ ! -f "$UNPACKED/pufferlib/ocean/pong/pong.h" ]; then
    echo "error: could not fetch the pufferlib==$VERSION sdist; pip said:" >&2
    tail -n 20 "$BUILD/pip.log" >&2
    echo "fix: check access to the package index, then rerun $0" >&2
    exit 1
  fi
  rm -rf "$SRC" && mkdir -p "$SRC/pong" "$SRC/raylib"
  cp "$UNPACKED/pufferlib/ocean/pong/pong.h" "$UNPACKED/pufferlib/ocean/pong/binding.c" "$SRC/pong/"
  cp "$UNPACKED/pufferlib/ocean/env_binding.h" "$SRC/"
  cp -r "$UNPACKED/raylib-5.5_linux_amd64/include" "$UNPACKED/raylib-5.5_linux_amd64/lib" "$SRC/raylib/"
  cp "$UNPACKED/LICENSE" "$SRC/LICENSE.pufferlib"
  rm -rf "$BUILD/tmp" "$BUILD/dl"
fi

PYINC=$("$PY" -c "import sysconfig; print(sysconfig.get_paths()['include'])")
NPINC=$("$PY" -c "import numpy; print(numpy.get_include())")
echo "compiling the Pong binding..." >&2
gcc -O2 -flto -fwrapv -fPIC -shared -DNPY_NO_DEPRECATED_API=NPY_1_7_API_VERSION -DPLATFORM_DESKTOP \
  -Wno-alloc-size-larger-than -Wno-implicit-function-declaration \
  -I"$PYINC" -I"$NPINC" -I"$SRC/raylib/include" \
  "$SRC/pong/binding.c" "$SRC/raylib/lib/libraylib.a" -lm -lpthread -ldl \
  -Wl,-Bsymbolic-functions -o "$SO.tmp"
mv "$SO.tmp" "$SO"
# What pins the reference's behaviour, read by the adapter's provenance().
{
  echo "pufferlib=$VERSION"
  echo "sdist_sha256=$SDIST_SHA256"
  echo "sources_sha256=$(cat "$SRC/pong/pong.h" "$SRC/pong/binding.c" "$SRC/env_binding.h" | sha256sum | cut -c1-64)"
  echo "gcc=$(gcc -dumpfullversion)"
  echo "flags=-O2 -flto -fwrapv"
} > "$BUILD/provenance.txt"
echo "$WANT" > "$STAMP"
echo "built $SO" >&2
