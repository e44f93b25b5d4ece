#!/usr/bin/env bash
# Starts the release binary for the browser tests the way an operator would: copied alone into
# an empty folder (so every asset must come from inside it), demo data loaded, then served.
set -euo pipefail
port=${1:-3210}
here=$(cd "$(dirname "$0")" && pwd)
bin=${TALLY_BIN:-$here/../target/release/tally}
work=$here/.tmp
rm -rf "$work"
mkdir -p "$work"
cp "$bin" "$work/tally"
cd "$work"
./tally demo --seed 42 > demo.txt
exec ./tally serve --listen "127.0.0.1:$port"
