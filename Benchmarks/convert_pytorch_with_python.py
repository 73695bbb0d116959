"""The usual way a pytorch_model.bin becomes safetensors (transformers' convert scripts):
torch.load onto the CPU, then safetensors.torch.save_file of contiguous tensors.
With `--list` it only loads and lists the tensors, as an inspect would.

    python Benchmarks/convert_pytorch_with_python.py IN.bin OUT.safetensors
    python Benchmarks/convert_pytorch_with_python.py IN.bin --list [--mmap]
"""
import sys

import torch
from safetensors.torch import save_file

source = sys.argv[1]
state = torch.load(source, map_location="cpu", weights_only=True, mmap="--mmap" in sys.argv)
if "--list" in sys.argv:
    for name, tensor in state.items():
        print(name, str(tensor.dtype), list(tensor.shape))
else:
    save_file({name: tensor.contiguous() for name, tensor in state.items()}, sys.argv[2], metadata={"format": "pt"})
