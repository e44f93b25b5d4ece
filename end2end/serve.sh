#!/usr/bin/env bash
# Starts the release binary for the browser tests the way an operator would: copied alone into
# an empty folder (so every asset must come from inside it), demo data loaded, then served with
# a real SMTP server (the Rust tests' aiosmtpd sink) that writes every email it receives into
# .tmp/mail as JSON, where the tests read them back.
set -euo pipefail
port=${1:-3210}
smtp_port=${TALLY_E2E_SMTP_PORT:-$((port + 1))}
here=$(cd "$(dirname "$0")" && pwd)
bin=${TALLY_BIN:-$here/../target/release/tally}
work=$here/.tmp
rm -rf "$work"
mkdir -p "$work/mail"
cp "$bin" "$work/tally"
cd "$work"
./tally demo --seed 42 > demo.txt 2> demo.log
python3 "$here/../server/tests/it/support/smtp_sink.py" "$smtp_port" "$work/mail" > /dev/null &
sink=$!
trap 'kill "$sink" 2>/dev/null' EXIT
for _ in $(seq 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$smtp_port") 2>/dev/null && break
  sleep 0.1
done
trap 'kill "$tally" 2>/dev/null; wait "$tally"' TERM INT
./tally serve --listen "127.0.0.1:$port" --smtp-url "smtp://127.0.0.1:$smtp_port" \
  --smtp-from "Tally <alerts@tally.test>" --base-url "http://127.0.0.1:$port" &
tally=$!
wait "$tally"
