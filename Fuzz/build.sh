#!/usr/bin/env bash
# Builds the libFuzzer targets. WeightsKit's sources, EmbeddingCore/Tokenizer's and every
# Fuzz/*Fuzz.swift are compiled once, as one module instrumented with -sanitize=fuzzer,address
# (each target's entry point is `weights_fuzz_<Target>`); each target is then that object, the
# CKernels C code and a two-line C file naming its entry point LLVMFuzzerTestOneInput.
# One compile instead of one per target: 74 s instead of 11 minutes on 2 cores.
# Usage: Fuzz/build.sh [TARGET ...]   (default: all targets)
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
# The tokenizer's files import WeightsKit; compiled into the same module, that import is a no-op.
sources=$(find Sources/WeightsKit Sources/EmbeddingCore/Tokenizer -name '*.swift' | sort)
swiftc -c -wmo -sanitize=fuzzer,address -parse-as-library -O -module-name WeightsKit -package-name weights -suppress-warnings \
  -I Sources/CJSONC -I Sources/CZlib -I Fuzz/bin/modules/CKernels \
  $sources Fuzz/*Fuzz.swift -o Fuzz/bin/WeightsKitFuzz.o
targets=${*:-"SafetensorsFuzz WeightPackFuzz ShardIndexFuzz ConfigFuzz TokenizerFuzz SentencePieceFuzz PyTorchFuzz GGUFFuzz"}
for target in $targets; do
  [ -f "Fuzz/$target.swift" ] || { echo "unknown fuzz target $target" >&2; exit 64; }
  cat > "Fuzz/bin/$target-entry.c" <<C
#include <stddef.h>
#include <stdint.h>
int weights_fuzz_$target(const uint8_t *data, long size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) { return weights_fuzz_$target(data, (long)size); }
C
  clang -c -O2 "Fuzz/bin/$target-entry.c" -o "Fuzz/bin/$target-entry.o"
  swiftc -sanitize=fuzzer,address Fuzz/bin/WeightsKitFuzz.o "Fuzz/bin/$target-entry.o" "${objects[@]}" \
    -ljson-c -lz -o "Fuzz/bin/$target" 2> >(grep -v "ld.gold: warning" >&2)
  echo "built Fuzz/bin/$target"
done
