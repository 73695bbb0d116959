#!/usr/bin/env bash
# SentencePieceModel.encode against the `sentencepiece` library's encode, one thread each, on
# 10,000 generated sentences (5–30 words, several scripts), for each committed fixture model
# named in MODELS (default: nfkc identity nfkc-bytes). Prints sentences/s, tokens/s and the
# Swift/sentencepiece throughput ratio against sentencepiece's batch call (encode(list), one
# thread: the loop runs in C++, so no per-sentence Python overhead); both sides must give the
# same token count. The per-sentence Python loop is printed too.
# The Python side needs sentencepiece (SPM_PYTHON=/path/to/venv/bin/python).
set -euo pipefail
cd "$(dirname "$0")/.."
python=${SPM_PYTHON:-python3}
models=${MODELS:-"nfkc identity nfkc-bytes"}
mkdir -p .build/pkg && ln -sfn "$PWD" .build/pkg/weights
(cd Benchmarks/EncoderBench && swift build -c release --product tokenizer-bench --scratch-path ../../.build-bench 2>&1 | tail -1)
sentences=.build/bench-sentences.txt
"$python" Benchmarks/sentencepiece_python.py write "$sentences" 10000
for name in $models; do
  model=Formats/vectors/sentencepiece/$name/spm.model
  swift=$(.build-bench/release/tokenizer-bench "$model" "$sentences" 5)
  reference=$("$python" Benchmarks/sentencepiece_python.py time "$model" "$sentences" 5)
  echo "$name: $swift"
  echo "$reference" | sed "s/^/$name: /"
  paste <(echo "$swift") <(echo "$reference" | tail -1) | awk -v name="$name" '{ if ($4 != $15) print name ": TOKEN COUNTS DIFFER"; printf "%s: swift/sentencepiece throughput %.2fx\n", name, $8 / $19 }'
done
