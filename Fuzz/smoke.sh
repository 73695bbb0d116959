#!/usr/bin/env bash
# CI's fuzz smoke: builds every target and runs each for SECONDS (default 30) from the
# committed seeds only (a fresh corpus, libFuzzer seed 1), so a run depends on the code, not on
# what earlier runs found. A crash, a unit slower than 10 s, or memory past the limits fails it
# (the input lands in Fuzz/artifacts/). Usage: Fuzz/smoke.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
corpus=$(mktemp -d)
trap 'rm -rf "$corpus"' EXIT
Fuzz/build.sh
status=0
FUZZ_CORPUS=$corpus FUZZ_FLAGS="-seed=1 -timeout=10" Fuzz/run.sh "$seconds" > "$corpus/fuzz.log" 2>&1 || status=$?
grep -E "^(== fuzz|Done [0-9]+ runs)" "$corpus/fuzz.log" || true
if [ "$status" -ne 0 ]; then
  tail -n 60 "$corpus/fuzz.log"
  echo "fuzz smoke failed (exit $status); the input is in Fuzz/artifacts/" >&2
fi
exit "$status"
