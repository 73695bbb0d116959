#!/usr/bin/env bash
# Runs each fuzz target for SECONDS (default 60), seeded with the committed test vectors.
# Corpus growth stays in Fuzz/corpus/ (ignored by git); crashes land in Fuzz/artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
mkdir -p Fuzz/corpus/safetensors Fuzz/artifacts
Fuzz/bin/SafetensorsFuzz Fuzz/corpus/safetensors Formats/vectors/safetensors/valid Formats/vectors/safetensors/invalid \
  -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -artifact_prefix=Fuzz/artifacts/ -print_final_stats=1
