#!/usr/bin/env bash
# Builds the libFuzzer targets: the library sources each target needs compiled with its
# fuzz entry point, instrumented with -sanitize=fuzzer,address, plus the CKernels C code.
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
library=$(find Sources/WeightsKit -name '*.swift' | sort)
tokenizer=$(find Sources/EmbeddingCore/Tokenizer -name '*.swift' | sort)
targets=${*:-"SafetensorsFuzz WeightPackFuzz ShardIndexFuzz ConfigFuzz TokenizerFuzz SentencePieceFuzz PyTorchFuzz GGUFFuzz"}
for target in $targets; do
  sources=$library
  # The tokenizer's files import WeightsKit; compiled into the same module, that import is a no-op.
  case $target in TokenizerFuzz|SentencePieceFuzz) sources="$library $tokenizer" ;; esac
  swiftc -sanitize=fuzzer,address -parse-as-library -O -module-name WeightsKit -package-name weights -suppress-warnings \
    -I Sources/CJSONC -I Sources/CZlib -I Fuzz/bin/modules/CKernels \
    $sources "Fuzz/$target.swift" "${objects[@]}" -o "Fuzz/bin/$target" 2> >(grep -v "ld.gold: warning" >&2)
  echo "built Fuzz/bin/$target"
done
