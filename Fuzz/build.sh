#!/usr/bin/env bash
# Builds the libFuzzer targets: WeightsKit's sources compiled with the fuzz entry point,
# instrumented with -sanitize=fuzzer,address.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p Fuzz/bin
sources=$(find Sources/WeightsKit -name '*.swift' | sort)
for target in SafetensorsFuzz WeightPackFuzz; do
  swiftc -sanitize=fuzzer,address -parse-as-library -O -module-name WeightsKit \
    -I Sources/CJSONC -I Sources/CZlib \
    $sources "Fuzz/$target.swift" -o "Fuzz/bin/$target"
  echo "built Fuzz/bin/$target"
done
