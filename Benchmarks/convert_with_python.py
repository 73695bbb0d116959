"""The peer for `weights convert --dtype`: what people run today. Loads the whole model
with the Python safetensors package, converts with numpy (ml_dtypes for BF16, gguf-py for
Q8_0, the documented formula for Int8), and writes the result.

    python convert_with_python.py IN OUT {f16,bf16,int8,q8_0}
"""
import sys

import numpy as np
from safetensors.numpy import load_file, save_file

source, target, dtype = sys.argv[1:4]
tensors = load_file(source)


def selected(name, array):
    return (array.dtype.kind == "f" and name.endswith("weight") and array.ndim >= 2 and array.size >= 1024
            and "LayerNorm" not in name and "position_embeddings" not in name)


out = {}
for name, array in tensors.items():
    if not selected(name, array):
        out[name] = array
    elif dtype == "f16":
        out[name] = array.astype(np.float16)
    elif dtype == "bf16":
        import ml_dtypes
        out[name] = array.astype(ml_dtypes.bfloat16)
    elif dtype == "int8":
        rows = array.reshape(-1, array.shape[-1]).astype(np.float32)
        scale = np.abs(rows).max(axis=1) / np.float32(127)
        q = rows / np.where(scale == 0, 1, scale)[:, None]
        out[name] = np.clip(np.sign(q) * np.floor(np.abs(q) + 0.5), -127, 127).astype(np.int8).reshape(array.shape)
        out[name + "_scale"] = scale.reshape(-1, 1)
    elif dtype == "q8_0":
        import gguf
        out[name] = gguf.quants.quantize(array.astype(np.float32), gguf.GGMLQuantizationType.Q8_0)
save_file(out, target, metadata={"format": "pt"})
