#!/usr/bin/env bash
# `make bench`: every figure of the speed work side by side with its peer, in one run.
# BENCH picks the parts (default inspect,convert,encoder,micro), ROUNDS the rounds of each
# (default 5). Each part's script leaves raw files in .build/bench-results; Benchmarks/summary.py
# gathers them into one table, printed and written to .build/bench-results/summary.md with the
# machine, the date and the load average. Exits non-zero when a part fails (a micro-benchmark
# threshold regression included).
set -uo pipefail
cd "$(dirname "$0")/.."
parts=${BENCH:-inspect,convert,encoder,micro}
export ROUNDS=${ROUNDS:-5}
results=.build/bench-results
mkdir -p $results
rm -f $results/*.txt $results/*.json $results/*.f32 $results/summary.md
load() { cut -d' ' -f1-3 /proc/loadavg; }
model=$(lscpu | sed -n 's/^Model name: *//p' | head -1)
start_load=$(load)
Benchmarks/setup_peers.sh || exit 1
status=0
for part in ${parts//,/ }; do
  case $part in inspect|convert|encoder|micro) ;; *) echo "unknown part $part (inspect,convert,encoder,micro)"; exit 64 ;; esac
  echo; echo "=== $part (ROUNDS=$ROUNDS, load average $(load))"
  Benchmarks/$part.sh || { echo "!! $part failed"; status=1; }
done
echo "$model, $(nproc) cores, $(date -u '+%Y-%m-%d %H:%M UTC'), load average $start_load at start, $(load) at end, ROUNDS=$ROUNDS" > $results/machine.txt
echo; echo "=== summary"
python3 Benchmarks/summary.py all $results
exit $status
