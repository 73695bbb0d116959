#!/usr/bin/env bash
# `weights inspect` against listing the same tensors with the Python safetensors package,
# on a 1 MB file, a 1 GiB file and a file of 20,000 tensors. Uses hyperfine (apt) and a
# venv under .build/ for the Python peer. Prints mean wall times and ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || apt-get install -y -qq hyperfine
venv=.build/bench-venv
[ -x $venv/bin/python ] || { python3 -m venv $venv && $venv/bin/pip install -q -r Benchmarks/requirements.txt; }
data=.build/bench-data
[ -f $data/many-20000.safetensors ] || $venv/bin/python Benchmarks/make_inspect_files.py $data
bin=.build/release/weights
for file in small-1MB large-1GiB many-20000; do
  path=$data/$file.safetensors
  hyperfine -N --warmup 3 --runs 30 --export-json .build/bench-$file.json \
    -n "weights inspect $file" "$bin inspect $path" \
    -n "weights inspect --json $file" "$bin inspect --json $path" \
    -n "python safetensors $file" "$venv/bin/python Benchmarks/list_with_python.py $path" >/dev/null
  python3 - .build/bench-$file.json <<'PY'
import json, sys
r = {x["command"]: x["mean"] for x in json.load(open(sys.argv[1]))["results"]}
names = list(r)
py = r[names[2]]
for n in names:
    print(f"{n:45s} {r[n]*1000:8.1f} ms   python/this = {py / r[n]:5.1f}x")
PY
done
