#!/usr/bin/env bash
# The peers of `make bench`, set up once: .build/bench-venv with Benchmarks/requirements.txt
# (safetensors, numpy, ml_dtypes, gguf), plus torch and transformers for the encoder's peer and
# the model makers: torch from a wheel in /opt/wheels when one fits, else from PyTorch's CPU index.
# TORCH_PYTHON=/path/to/python uses that interpreter for the torch side instead. The interpreter
# chosen is written to .build/bench-results/torch-python (empty when torch could not be had: the
# torch rows are then skipped with a note).
set -uo pipefail
cd "$(dirname "$0")/.."
results=.build/bench-results
mkdir -p $results
venv=.build/bench-venv
if [ ! -x $venv/bin/python ]; then
  python3 -m venv $venv && $venv/bin/pip install -q -r Benchmarks/requirements.txt || { echo "setup_peers: venv failed"; rm -rf $venv; exit 1; }
fi
has_torch() { "$1" -c "import torch, transformers" 2>/dev/null; }
if [ -n "${TORCH_PYTHON:-}" ]; then
  has_torch "$TORCH_PYTHON" && echo "$TORCH_PYTHON" > $results/torch-python \
    || { echo "note: TORCH_PYTHON=$TORCH_PYTHON lacks torch or transformers; torch rows skipped"; : > $results/torch-python; }
  exit 0
fi
if ! has_torch $venv/bin/python; then
  tag=$($venv/bin/python -c "import sys; print(f'cp{sys.version_info[0]}{sys.version_info[1]}')")
  wheel=$(ls /opt/wheels/torch-*-$tag-*linux*x86_64.whl 2>/dev/null | sort | tail -1)
  if [ -n "$wheel" ]; then
    $venv/bin/pip install -q "$wheel"
  else
    $venv/bin/pip install -q torch --index-url https://download.pytorch.org/whl/cpu
  fi && $venv/bin/pip install -q -r Benchmarks/requirements-torch.txt
fi
if has_torch $venv/bin/python; then
  echo "$PWD/$venv/bin/python" > $results/torch-python
else
  echo "note: torch could not be installed (no wheel in /opt/wheels, CPU index unreachable); torch rows skipped"
  : > $results/torch-python
fi
