#!/usr/bin/env bash
# Runs each fuzz target for SECONDS (default 60) each, seeded with the committed test vectors.
# Usage: Fuzz/run.sh [SECONDS] ["safetensors weightpack shard-index"]
# Corpus growth stays in Fuzz/corpus/ (ignored by git); crashes land in Fuzz/artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
targets=${2:-"safetensors weightpack shard-index"}
mkdir -p Fuzz/corpus/safetensors Fuzz/corpus/weightpack Fuzz/corpus/shard-index Fuzz/artifacts
for target in $targets; do
  case $target in
    safetensors) Fuzz/bin/SafetensorsFuzz Fuzz/corpus/safetensors Formats/vectors/safetensors/valid Formats/vectors/safetensors/invalid \
      -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -artifact_prefix=Fuzz/artifacts/ -print_final_stats=1 ;;
    weightpack) Fuzz/bin/WeightPackFuzz Fuzz/corpus/weightpack Formats/vectors/weightpack/valid Formats/vectors/weightpack/invalid \
      -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -artifact_prefix=Fuzz/artifacts/ -print_final_stats=1 ;;
    shard-index) Fuzz/bin/ShardIndexFuzz Fuzz/corpus/shard-index Fuzz/seeds/shard-index \
      -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -artifact_prefix=Fuzz/artifacts/ -print_final_stats=1 ;;
  esac
done
