"""The peer: list a file's tensors (name, dtype, shape) with the Python safetensors package."""
import sys

from safetensors import safe_open

with safe_open(sys.argv[1], "numpy") as f:
    for name in f.keys():
        piece = f.get_slice(name)
        print(name, piece.get_dtype(), piece.get_shape())
