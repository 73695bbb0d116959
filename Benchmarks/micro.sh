#!/usr/bin/env bash
# The package-benchmark micro-benchmarks (Benchmarks/Micro): F32→F16/BF16/Q8_0/Int8 (GB/s of
# input), an encoder layer (GFLOP/s, GEMM-bound) and the WordPiece and SentencePiece tokenizers
# (tokens/s), checked against the thresholds in Benchmarks/Micro/Thresholds (p90 of wall-clock
# time, 70% tolerance: see Kernels.swift). A regression is confirmed by a second run before the
# script fails (a load spike on a shared machine seldom lasts two runs); improvements pass.
# MICRO_UPDATE=1 records new thresholds instead (commit them with the change that earned them).
# Builds with --scratch-path .build-micro; the run is stored as baseline 'current' (in
# Benchmarks/Micro/.benchmarkBaselines, ignored) and checked; writes .build/bench-results/micro.txt.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
results=$root/.build/bench-results
mkdir -p $results .build/pkg && ln -sfn "$root" .build/pkg/weights
export MICRO_WORK_FILE=$results/micro-work.tsv
cd Benchmarks/Micro
benchmark() { swift package --scratch-path "$root/.build-micro" --allow-writing-to-package-directory benchmark "$@" --no-progress; }
if [ "${MICRO_UPDATE:-0}" = 1 ]; then
  : > $MICRO_WORK_FILE
  benchmark thresholds update 2>&1 | grep -v -E "^\[|warning:" | tail -20
  exit ${PIPESTATUS[0]}
fi
verdict=ok
for attempt in 1 2; do
  : > $MICRO_WORK_FILE
  benchmark baseline update current > $results/micro-build.txt 2>&1 || { tail -20 $results/micro-build.txt; verdict="failed (run)"; break; }
  benchmark thresholds check current > $results/micro-check.txt 2>&1
  rc=$?  # the plugin reports the tool's 2 (worse) and 4 (better) as 1: read its verdict line
  if grep -q "is WORSE than" $results/micro-check.txt; then
    verdict="REGRESSION"; [ $attempt = 1 ] && echo "threshold exceeded; running once more to confirm"
  elif grep -q "is BETTER than" $results/micro-check.txt; then
    verdict="ok (improved: consider MICRO_UPDATE=1)"; break
  elif [ $rc = 0 ]; then
    verdict=ok; break
  else
    verdict="failed (exit $rc)"; tail -20 $results/micro-check.txt; break
  fi
done
grep -E "thresholds|regress|better|worse|Deviation|│" $results/micro-check.txt | grep -v "^\[" | head -40
benchmark baseline read current > $results/micro-run.txt 2>&1
python3 - "$results/micro-run.txt" "$MICRO_WORK_FILE" "$verdict" > $results/micro.txt <<'PY'
"""Turns each benchmark's p50 wall-clock time (μs, from the results table) into its rate."""
import re, sys
run, work, verdict = sys.argv[1:4]
amounts = {}
for line in open(work):
    name, unit, amount = line.rstrip("\n").split("\t")
    amounts[name] = (unit, int(amount))
name = None
for line in open(run):
    line = line.strip()
    if line in amounts:
        name = line
    elif name and line.startswith("│ Time (wall clock)"):
        cells = [c.strip() for c in line.strip("│").split("│")]
        scale = {"(ns)": 1e-9, "(μs)": 1e-6, "(ms)": 1e-3, "(s)": 1.0}[re.search(r"\((ns|μs|ms|s)\)", cells[0]).group(0)]
        p50 = float(cells[3]) * scale
        unit, amount = amounts[name]
        rate = {"bytes": (amount / p50 / 1e9, "GB/s"), "flops": (amount / p50 / 1e9, "GFLOP/s"),
                "tokens": (amount / p50 / 1e6, "M tokens/s")}[unit]
        print(f"{name}\t{rate[0]:.2f}\t{rate[1]}\t{p50 * 1e6:.0f}\t{verdict}")
        name = None
PY
printf "%-50s %12s %-11s %12s\n" "micro-benchmark (p50)" "rate" "" "p50 μs"
awk -F'\t' '{printf "%-50s %12s %-11s %12s\n", $1, $2, $3, $4}' $results/micro.txt
echo "thresholds: $verdict (load average $(cut -d' ' -f1-3 /proc/loadavg))"
[ "$verdict" != REGRESSION ] && [ "${verdict#failed}" = "$verdict" ]
