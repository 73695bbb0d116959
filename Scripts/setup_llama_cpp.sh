#!/usr/bin/env bash
# The llama.cpp tree the GGUF fixtures and benchmarks use as their reference: PyPI's
# llama-cpp-python sdist (it vendors llama.cpp under vendor/llama.cpp), unpacked outside
# the sources, and its llama-embedding and llama-quantize built with cmake.
#
#   Scripts/setup_llama_cpp.sh            # -> $LLAMA_DIR (default .build/llama.cpp)
#   LLAMA_DIR=/work/llama-src Scripts/setup_llama_cpp.sh
#
# Prints the path of the llama.cpp tree (convert_hf_to_gguf.py, gguf-py/, build/bin/).
# Needs cmake and a C++ compiler (apt-get install -y cmake g++), and pip for the download.
set -euo pipefail
cd "$(dirname "$0")/.."
version=${LLAMA_CPP_PYTHON_VERSION:-0.3.36}
dir=${LLAMA_DIR:-.build/llama.cpp}
python=${PYTHON:-python3}
jobs=${JOBS:-2}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
sdist=$dir/llama_cpp_python-$version.tar.gz
if [ ! -f "$sdist" ]; then
  # The sdist only (--no-binary for this package alone: its build backend may come as a wheel,
  # so pip reads the metadata without building anything).
  $python -m pip download --quiet --no-deps --no-binary llama-cpp-python \
    "llama-cpp-python==$version" -d "$dir" >&2 || true
  [ -f "$sdist" ] || { echo "could not download llama-cpp-python $version into $dir" >&2; exit 1; }
fi
tree=$dir/llama_cpp_python-$version/vendor/llama.cpp
[ -f "$tree/convert_hf_to_gguf.py" ] || tar xzf "$sdist" -C "$dir"
command -v cmake >/dev/null || { echo "cmake is missing: apt-get install -y cmake" >&2; exit 1; }
if [ ! -x "$tree/build/bin/llama-embedding" ] || [ ! -x "$tree/build/bin/llama-quantize" ]; then
  cmake -S "$tree" -B "$tree/build" -DGGML_NATIVE=ON -DLLAMA_CURL=OFF -DBUILD_SHARED_LIBS=OFF \
    -DLLAMA_BUILD_TESTS=OFF -DCMAKE_BUILD_TYPE=Release >&2
  cmake --build "$tree/build" -j"$jobs" --target llama-embedding llama-quantize >&2
fi
echo "$tree"
