"""Writes Formats/vectors/fp8/: every bit pattern of each 8-bit float type safetensors
names, stored as ml_dtypes arrays with safetensors.numpy, and what ml_dtypes decodes
them to.

  F8_E4M3      ml_dtypes.float8_e4m3fn      (safetensors.numpy's own mapping, checked below)
  F8_E5M2      ml_dtypes.float8_e5m2
  F8_E4M3FNUZ  ml_dtypes.float8_e4m3fnuz
  F8_E5M2FNUZ  ml_dtypes.float8_e5m2fnuz
  F8_E8M0      ml_dtypes.float8_e8m0fnu

<dtype>.safetensors holds `input` (the 256 patterns 0x00 … 0xFF, in that dtype) and its
`astype` to float32 (`f32`), float16 (`f16`) and bfloat16 (`bf16`): NaN encodings, ±0,
subnormals, the largest values, infinities where the type has them.

fp8-weights.safetensors is a small "model" for the CLI tests: one [32, 32] tensor per
type, `<dtype lowercased>.weight`, each the 256 patterns four times over.

    python Scripts/gen_fp8_vectors.py      (needs numpy, ml_dtypes, safetensors)
"""
import json
import os
import struct

import ml_dtypes
import numpy as np
from safetensors.numpy import save, save_file

OUT = os.path.join(os.path.dirname(__file__), "..", "Formats", "vectors", "fp8")
os.makedirs(OUT, exist_ok=True)
META = {"generator": "Scripts/gen_fp8_vectors.py"}

TYPES = {
    "F8_E4M3": ml_dtypes.float8_e4m3fn,
    "F8_E5M2": ml_dtypes.float8_e5m2,
    "F8_E4M3FNUZ": ml_dtypes.float8_e4m3fnuz,
    "F8_E5M2FNUZ": ml_dtypes.float8_e5m2fnuz,
    "F8_E8M0": ml_dtypes.float8_e8m0fnu,
}


def header(blob):
    length = struct.unpack("<Q", blob[:8])[0]
    return json.loads(blob[8:8 + length])


patterns = np.arange(256, dtype=np.uint8)
weights = {}
with np.errstate(over="ignore", invalid="ignore"):
    for name, dtype in TYPES.items():
        values = patterns.view(dtype)
        # The dtype name safetensors writes for this ml_dtypes type is the one we claim.
        assert header(save({"t": values}))["t"]["dtype"] == name, name
        save_file({"input": values, "f32": values.astype(np.float32), "f16": values.astype(np.float16),
                   "bf16": values.astype(ml_dtypes.bfloat16)}, os.path.join(OUT, f"{name.lower()}.safetensors"), metadata=META)
        weights[f"{name.lower()}.weight"] = np.tile(patterns, 4).reshape(32, 32).view(dtype)
save_file(weights, os.path.join(OUT, "fp8-weights.safetensors"), metadata=META)
print("wrote", sorted(os.listdir(OUT)))
