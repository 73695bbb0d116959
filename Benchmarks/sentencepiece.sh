#!/usr/bin/env bash
# SentencePieceModel.encode against the `sentencepiece` library's encode, one thread each, on
# 10,000 generated sentences (5–30 words, several scripts), for each committed fixture model
# named in MODELS (default: nfkc identity nfkc-bytes). Prints sentences/s, tokens/s and the
# Swift/sentencepiece throughput ratio; both sides must give the same token count.
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
  python=$("$python" Benchmarks/sentencepiece_python.py time "$model" "$sentences" 5)
  echo "$name: $swift"
  echo "$name: $python"
  paste <(echo "$swift") <(echo "$python") | awk -v name="$name" '{ if ($4 != $15) print name ": TOKEN COUNTS DIFFER"; printf "%s: swift/sentencepiece throughput %.2fx\n", name, $8 / $19 }'
done
