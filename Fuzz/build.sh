#!/usr/bin/env bash
# Builds the libFuzzer targets: WeightsKit's sources compiled with the fuzz entry point,
# instrumented with -sanitize=fuzzer,address, plus the CKernels C code.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p Fuzz/bin Fuzz/bin/modules/CKernels
cat > Fuzz/bin/modules/CKernels/module.modulemap <<MAP
module CKernels {
    header "$PWD/Sources/CKernels/include/CKernels.h"
    export *
}
MAP
objects=()
for source in Sources/CKernels/*.c; do
  object=Fuzz/bin/$(basename "$source" .c).o
  clang -c -O2 -fsanitize=fuzzer-no-link,address -I Sources/CKernels/include "$source" -o "$object"
  objects+=("$object")
done
sources=$(find Sources/WeightsKit -name '*.swift' | sort)
for target in SafetensorsFuzz WeightPackFuzz ShardIndexFuzz; do
  swiftc -sanitize=fuzzer,address -parse-as-library -O -module-name WeightsKit \
    -I Sources/CJSONC -I Sources/CZlib -I Fuzz/bin/modules/CKernels \
    $sources "Fuzz/$target.swift" "${objects[@]}" -o "Fuzz/bin/$target" 2> >(grep -v "ld.gold: warning" >&2)
  echo "built Fuzz/bin/$target"
done
