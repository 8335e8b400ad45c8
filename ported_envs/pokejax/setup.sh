#!/usr/bin/env bash
# pokejax set-up: the initial battle states reset(seed) starts from, made by Showdown (the
# ts_showdown reference, set up before this) for seeds 0..N-1. Idempotent and quick when done.
set -euo pipefail
cd "$(dirname "$0")"
REF=../../reference_envs/ts_showdown
[ -f "$REF/data/gen1.json" ] || { echo "error: $REF/data/gen1.json missing; run reference_envs/ts_showdown/setup.sh first" >&2; exit 2; }
N=${POKEJAX_STARTS:-1024}
want=$( (cat make_starts.js setup.sh "$REF/canonical.js" "$REF/data/gen1.json"; echo "$N") | sha256sum | cut -c1-16)
mkdir -p build
if [ "$(cat build/.starts.stamp 2>/dev/null)" != "$want" ]; then
  for format in gen1customgame gen1randombattle; do
    node make_starts.js "build/starts_$format.json.tmp" "$format" "$N"
    mv "build/starts_$format.json.tmp" "build/starts_$format.json"
  done
  echo "$want" > build/.starts.stamp
fi
