#!/usr/bin/env bash
# Start-up and `weights inspect` against listing the same tensors with the Python safetensors
# package (safe_open, Benchmarks/list_with_python.py): `weights --version`, then `inspect` and
# `inspect --json` of the 1.34 GB BERT-large-shaped file (made by Benchmarks/convert.sh) and of a
# file of 20,000 tensors (Benchmarks/make_inspect_files.py). hyperfine (apt) runs each command
# ROUNDS×6 times (at least 10), interleaving nothing but warm: medians and min–max come from its
# JSON exports in .build/bench-results/inspect-*.json; one more run of each under GNU time gives
# its peak resident memory (inspect-rss.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo; $SUDO apt-get install -y -qq hyperfine; }
rounds=${ROUNDS:-5}
runs=$(( rounds * 6 > 10 ? rounds * 6 : 10 ))
results=.build/bench-results
mkdir -p $results
venv=.build/bench-venv
[ -x $venv/bin/python ] || Benchmarks/setup_peers.sh
data=.build/bench-data
[ -f $data/many-20000.safetensors ] || $venv/bin/python Benchmarks/make_inspect_files.py $data
large=${INPUT:-$data/bert-large-st/model.safetensors}
[ -f $large ] || large=$data/large-1GiB.safetensors
bin=${WEIGHTS_BIN:-.build/release/weights}
[ -x $bin ] || swift build -c release --product weights
: > $results/inspect-rss.txt
rss() {  # name, command...: one more run under GNU time for the peak resident memory
  local name=$1; shift
  /usr/bin/time -f "%M" -o .build/bench-out-rss.txt "$@" > /dev/null
  printf "%s\t%s\n" "$name" "$(tail -1 .build/bench-out-rss.txt)" >> $results/inspect-rss.txt
}
hyperfine -N --warmup 3 --runs $runs --export-json $results/inspect-version.json \
  -n "weights --version" "$bin --version" | grep -E "Time|Range"
rss "weights --version" $bin --version
for pair in "bert-large-1.34GB:$large" "many-20000:$data/many-20000.safetensors"; do
  name=${pair%%:*} path=${pair#*:}
  cat $path > /dev/null
  hyperfine -N --warmup 3 --runs $runs --export-json $results/inspect-$name.json \
    -n "weights inspect $name" "$bin inspect $path" \
    -n "weights inspect --json $name" "$bin inspect --json $path" \
    -n "python safe_open $name" "$venv/bin/python Benchmarks/list_with_python.py $path" >/dev/null
  rss "weights inspect $name" $bin inspect $path
  rss "weights inspect --json $name" $bin inspect --json $path
  rss "python safe_open $name" $venv/bin/python Benchmarks/list_with_python.py $path
  python3 - $results/inspect-$name.json <<'PY'
import json, statistics, sys
results = json.load(open(sys.argv[1]))["results"]
peer = statistics.median(results[-1]["times"])
for r in results:
    t = [x * 1000 for x in r["times"]]
    print(f"{r['command']:42s} median {statistics.median(t):8.1f} ms ({min(t):.1f}–{max(t):.1f})   python/this = {peer * 1000 / statistics.median(t):5.1f}x")
PY
done
