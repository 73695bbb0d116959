#!/usr/bin/env bash
# Reading a 1.34 GB BERT-large-shaped pytorch_model.bin (torch.save, zip layout): `weights
# inspect` and `weights convert` to safetensors against the usual Python way
# (Benchmarks/convert_pytorch_with_python.py: torch.load + safetensors.torch.save_file, and
# torch.load(mmap=True) for listing), interleaved over ROUNDS rounds (default 5), page cache
# warm. Prints median and min–max wall time, the ratio of medians, and peak resident memory.
# The Python side needs torch and safetensors: TORCH_PYTHON=/path/to/venv/bin/python.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${TORCH_PYTHON:-python3}
rounds=${ROUNDS:-5}
data=.build/bench-data/bert-large-pt
[ -f $data/pytorch_model.bin ] || $python Benchmarks/make_pytorch_checkpoint.py $data
input=$data/pytorch_model.bin
bin=.build/release/weights
[ -x $bin ] || swift build -c release --product weights
out=.build/bench-out
mkdir -p $out
cat $input > /dev/null
declare -A times peaks
labels=("weights inspect" "python torch.load --list" "python torch.load(mmap) --list"
        "weights convert --no-sync" "python torch.load + save_file" "cp")
run() {  # index
  case $1 in
    0) $bin inspect $input ;;
    1) $python Benchmarks/convert_pytorch_with_python.py $input --list ;;
    2) $python Benchmarks/convert_pytorch_with_python.py $input --list --mmap ;;
    3) $bin convert $input $out/w.safetensors --force --quiet --no-sync ;;
    4) $python Benchmarks/convert_pytorch_with_python.py $input $out/p.safetensors ;;
    5) cp $input $out/c.bin ;;
  esac
}
for round in $(seq 1 $rounds); do
  for step in 0 1 2 3 4 5; do
    index=$(( (step + round) % 6 ))
    rm -f $out/w.safetensors $out/p.safetensors $out/c.bin
    sync
    /usr/bin/time -f "%e %M" -o $out/time.txt bash -c "$(declare -f run); bin=$bin input=$input python=$python out=$out run $index" >/dev/null 2>$out/err.txt \
      || { cat $out/err.txt; exit 1; }
    read -r seconds kb < <(tail -1 $out/time.txt)
    times[$index]+="$seconds "; peaks[$index]+="$kb "
  done
done
rm -f $out/w.safetensors $out/p.safetensors $out/c.bin
median() { tr ' ' '\n' | grep . | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)], a[1], a[NR]}'; }
printf "%-34s %9s %17s %9s\n" "what ($rounds rounds)" "median s" "min-max s" "peak MB"
declare -A med
for index in 0 1 2 3 4 5; do
  read -r m lo hi < <(echo ${times[$index]} | median)
  read -r pk _ _ < <(echo ${peaks[$index]} | median)
  med[$index]=$m
  printf "%-34s %9.3f %8.3f-%-8.3f %9.0f\n" "${labels[$index]}" "$m" "$lo" "$hi" "$(echo "$pk / 1024" | bc -l)"
done
echo
printf "inspect: python torch.load / weights = %.1fx, torch.load(mmap) / weights = %.1fx\n" \
  "$(echo "${med[1]} / ${med[0]}" | bc -l)" "$(echo "${med[2]} / ${med[0]}" | bc -l)"
printf "convert: python / weights = %.1fx; weights / cp = %.2fx\n" \
  "$(echo "${med[4]} / ${med[3]}" | bc -l)" "$(echo "${med[3]} / ${med[5]}" | bc -l)"
