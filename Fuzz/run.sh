#!/usr/bin/env bash
# Runs each fuzz target for SECONDS (default 60) each, seeded with the committed test vectors,
# under a 2 GB RSS limit and a 1 GB single-allocation limit (a parser that allocates what a
# hostile size field claims is a finding).
# Usage: Fuzz/run.sh [SECONDS] ["safetensors weightpack shard-index config tokenizer sentencepiece pytorch gguf"]
# Corpus growth stays in FUZZ_CORPUS (default Fuzz/corpus/, ignored by git); crashes land in
# Fuzz/artifacts/. FUZZ_FLAGS adds libFuzzer flags (Fuzz/smoke.sh: a fixed seed, a fresh corpus).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
targets=${2:-"safetensors weightpack shard-index config tokenizer sentencepiece pytorch gguf"}
corpus=${FUZZ_CORPUS:-Fuzz/corpus}
read -r -a extra <<< "${FUZZ_FLAGS:-}"
limits=(-rss_limit_mb=2048 -malloc_limit_mb=1024 -artifact_prefix=Fuzz/artifacts/ -print_final_stats=1 -max_total_time="$seconds" ${extra[@]+"${extra[@]}"})
mkdir -p "$corpus" Fuzz/artifacts

# Seeds for targets whose input is not a committed vector as it is.
seed_configs() {
  mkdir -p "$corpus"/config-seeds
  find SampleModels Formats/vectors -name config.json | while read -r file; do
    cp "$file" "$corpus/config-seeds/$(echo "$file" | tr / _)"
  done
}
seed_tokenizers() {
  # The first byte selects the reader: 0 tokenizer.json, 1 vocab.txt. The committed
  # tokenizers are cut to their first 500 vocabulary entries, so each run is fast.
  mkdir -p "$corpus"/tokenizer-seeds
  CORPUS="$corpus" python3 - <<'PY'
import glob, json, os
for path in glob.glob("Formats/vectors/tokenizer/*/tokenizer.json"):
    data = json.load(open(path, encoding="utf-8"))
    vocab = data["model"]["vocab"]
    data["model"]["vocab"] = {token: id for token, id in vocab.items() if id < 500}
    name = os.environ["CORPUS"] + "/tokenizer-seeds/" + path.replace("/", "_")
    open(name, "wb").write(b"\x00" + json.dumps(data, ensure_ascii=False).encode())
for path in glob.glob("Formats/vectors/tokenizer/*/vocab.txt"):
    lines = open(path, "rb").read().split(b"\n")[:500]
    open(os.environ["CORPUS"] + "/tokenizer-seeds/" + path.replace("/", "_"), "wb").write(b"\x01" + b"\n".join(lines))
PY
}
seed_sentencepiece() {
  # Two length bytes, a text, then a model: the committed models under 64 KiB (identity
  # rules, or a small charsmap of their own).
  mkdir -p "$corpus"/sentencepiece-seeds
  for model in Formats/vectors/sentencepiece/*/spm.model; do
    [ "$(wc -c < "$model")" -lt 65536 ] || continue
    { printf '\x0b\x00Hello world'; cat "$model"; } > "$corpus/sentencepiece-seeds/$(echo "$model" | tr / _)"
  done
  # The hostile models, with "ﬁ " (4 bytes) repeated 16 × 8 times: a header of 0x1004.
  for model in Formats/vectors/sentencepiece/hostile/*.model; do
    [ "$(wc -c < "$model")" -lt 65536 ] || continue
    { printf '\x04\x10\xef\xac\x81 '; cat "$model"; } > "$corpus/sentencepiece-seeds/$(echo "$model" | tr / _)"
  done
}
seed_pytorch() {
  # The torch.save vectors, valid and hostile, minus the manifests and expected outputs.
  mkdir -p "$corpus"/pytorch-seeds
  find Formats/vectors/pytorch -type f \( -name '*.pt' -o -name '*.bin' \) | while read -r file; do
    cp "$file" "$corpus/pytorch-seeds/$(echo "$file" | tr / _)"
  done
}

for target in $targets; do
  echo "== fuzz $target ($seconds s)"
  mkdir -p "$corpus/$target"
  case $target in
    safetensors) Fuzz/bin/SafetensorsFuzz $corpus/safetensors Formats/vectors/safetensors/valid Formats/vectors/safetensors/invalid \
      -max_len=65536 "${limits[@]}" ;;
    weightpack) Fuzz/bin/WeightPackFuzz $corpus/weightpack Formats/vectors/weightpack/valid Formats/vectors/weightpack/invalid \
      -max_len=65536 "${limits[@]}" ;;
    shard-index) Fuzz/bin/ShardIndexFuzz $corpus/shard-index Fuzz/seeds/shard-index -max_len=65536 "${limits[@]}" ;;
    config) seed_configs
      Fuzz/bin/ConfigFuzz $corpus/config $corpus/config-seeds -max_len=16384 "${limits[@]}" ;;
    tokenizer) seed_tokenizers
      Fuzz/bin/TokenizerFuzz $corpus/tokenizer $corpus/tokenizer-seeds -max_len=32768 "${limits[@]}" ;;
    sentencepiece) seed_sentencepiece
      Fuzz/bin/SentencePieceFuzz $corpus/sentencepiece $corpus/sentencepiece-seeds -max_len=65536 "${limits[@]}" ;;
    pytorch) seed_pytorch
      Fuzz/bin/PyTorchFuzz $corpus/pytorch $corpus/pytorch-seeds -max_len=65536 -dict=Fuzz/pickle.dict "${limits[@]}" ;;
    gguf) Fuzz/bin/GGUFFuzz $corpus/gguf Formats/vectors/gguf/valid Formats/vectors/gguf/invalid Formats/vectors/gguf/bert \
      -max_len=131072 "${limits[@]}" ;;
    *) echo "unknown fuzz target $target" >&2; exit 64 ;;
  esac
done
