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

FP8 as a target (E4M3, E5M2 and their FNUZ forms; not the scale type E8M0):
to-fp8-input.safetensors holds inputs `f32` (±0, ±Inf, NaN payloads, every midpoint between
adjacent values of each FP8 type and its float32 neighbours, overflow edges, subnormals,
random bit patterns), `f64` (midpoints and neighbours in float64, random values), `f16` and
`bf16` (every bit pattern); to-<dtype>.safetensors holds ml_dtypes' `astype(<type>)` of each
(ml_dtypes rounds to nearest even, overflows to Inf or NaN as the type has them, and goes
from float64 through float32).

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

rng = np.random.default_rng(2026)
TARGETS = ["F8_E4M3", "F8_E5M2", "F8_E4M3FNUZ", "F8_E5M2FNUZ"]
midpoints = []
for name in TARGETS:
    values = patterns.view(TYPES[name]).astype(np.float64)
    finite = np.unique(values[np.isfinite(values)])
    midpoints.append((finite[:-1] + finite[1:]) / 2)
    # Past the largest value: where rounding reaches the next binade (overflow).
    top = finite[-1]
    step = finite[-1] - finite[-2]
    midpoints.append(np.array([top + step / 2, top + step, 2 * top, -(top + step / 2)]))
mids = np.concatenate(midpoints)
mids32 = mids.astype(np.float32)
nan_bits = np.array([0x7FC00000, 0x7F800001, 0xFFC00000, 0x7FE00000, 0xFF800001, 0x7FBFFFFF], np.uint32).view(np.float32)
specials = np.array([0.0, -0.0, np.inf, -np.inf, 1.0, -1.0, 1e-45, -1e-45, 1e-40, -1e-40, 3.4e38, -3.4e38, 1e9, -1e9,
                     2.0 ** -10, 2.0 ** -17, 2.0 ** -18, -(2.0 ** -18)], np.float32)
f32_inputs = np.concatenate([
    specials, nan_bits, mids32, -mids32, np.nextafter(mids32, np.float32(np.inf)), np.nextafter(mids32, np.float32(-np.inf)),
    np.nextafter(-mids32, np.float32(np.inf)), np.nextafter(-mids32, np.float32(-np.inf)),
    rng.integers(0, 2**32, 12000, dtype=np.uint64).astype(np.uint32).view(np.float32),
    (rng.standard_normal(8000) * np.exp2(rng.integers(-20, 18, 8000))).astype(np.float32),
]).astype(np.float32)
f64_inputs = np.concatenate([mids, -mids, np.nextafter(mids, np.inf), np.nextafter(mids, -np.inf),
                             rng.standard_normal(6000) * np.exp2(rng.integers(-20, 18, 6000)), [1e300, -1e300, 1e-300, np.nan]])
all_f16 = np.arange(1 << 16, dtype=np.uint32).astype(np.uint16).view(np.float16)
all_bf16 = np.arange(1 << 16, dtype=np.uint32).astype(np.uint16).view(ml_dtypes.bfloat16)
inputs = {"f32": f32_inputs, "f64": f64_inputs, "f16": all_f16, "bf16": all_bf16}
save_file(inputs, os.path.join(OUT, "to-fp8-input.safetensors"), metadata=META)
with np.errstate(over="ignore", invalid="ignore"):
    for name in TARGETS:
        outputs = {key: value.astype(TYPES[name]) for key, value in inputs.items()}
        # Every other FP8 type's 256 patterns too (ml_dtypes casts E8M0 only through float32).
        for source in TYPES:
            if source != name:
                values = patterns.view(TYPES[source])
                outputs[source.lower()] = (values.astype(np.float32) if source == "F8_E8M0" else values).astype(TYPES[name])
        save_file(outputs, os.path.join(OUT, f"to-{name.lower()}.safetensors"), metadata=META)
print("wrote", sorted(os.listdir(OUT)))
