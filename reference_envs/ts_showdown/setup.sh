#!/usr/bin/env bash
# Set up the ts_showdown reference: pinned Showdown from package-lock.json, then the
# gen-1 data file exported from its dex. Idempotent: quick when already done.
set -euo pipefail
cd "$(dirname "$0")"

command -v node >/dev/null || { echo "error: node not found; install Node.js >= 18 (Debian: apt-get install nodejs npm)" >&2; exit 2; }
command -v npm >/dev/null || { echo "error: npm not found; install npm (Debian: apt-get install npm)" >&2; exit 2; }

want=$(cat package.json package-lock.json | sha256sum | cut -c1-16)
if [ "$(cat node_modules/.equiv-installed 2>/dev/null)" != "$want" ]; then
  echo "ts_showdown: npm ci (pokemon-showdown pinned by package-lock.json)" >&2
  npm ci --omit=optional --ignore-scripts --no-audit --no-fund >&2
  echo "$want" > node_modules/.equiv-installed
fi

data_want=$(cat package-lock.json export_data.js | sha256sum | cut -c1-16)
if [ ! -f data/gen1.json ] || [ "$(cat data/.gen1.stamp 2>/dev/null)" != "$data_want" ]; then
  mkdir -p data
  node export_data.js data/gen1.json.tmp
  mv data/gen1.json.tmp data/gen1.json
  echo "$data_want" > data/.gen1.stamp
fi
