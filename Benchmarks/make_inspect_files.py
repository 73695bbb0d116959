"""Writes the files the inspect benchmark reads, with the Python safetensors package:
a 1 MB and a 1 GiB file of BERT-shaped F32 tensors, and a file of 20,000 small tensors."""
import os
import sys

import numpy as np
from safetensors.numpy import save_file

out = sys.argv[1]
os.makedirs(out, exist_ok=True)


def bert_like(total_bytes):
    tensors, used, layer = {}, 0, 0
    while used < total_bytes:
        for name, shape in [("attention.self.query.weight", (1024, 1024)), ("attention.self.key.weight", (1024, 1024)),
                            ("attention.self.value.weight", (1024, 1024)), ("intermediate.dense.weight", (4096, 1024)),
                            ("output.dense.weight", (1024, 4096)), ("output.LayerNorm.weight", (1024,))]:
            rows = shape[0] if total_bytes > 1 << 24 else max(1, shape[0] // 64)
            array = np.ones((rows,) + shape[1:], dtype=np.float32)
            if used + array.nbytes > total_bytes:
                return tensors
            tensors[f"encoder.layer.{layer}.{name}"] = array
            used += array.nbytes
        layer += 1
    return tensors


save_file(bert_like(1 << 20), f"{out}/small-1MB.safetensors", metadata={"format": "pt"})
save_file(bert_like(1 << 30), f"{out}/large-1GiB.safetensors", metadata={"format": "pt"})
save_file({f"model.layers.{i // 10}.block.{i % 10}.weight": np.ones(4, np.float32) for i in range(20_000)},
          f"{out}/many-20000.safetensors", metadata={"format": "pt"})
