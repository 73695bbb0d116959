"""Expected output and error sums of the one-pass F32 -> F16 conversion
(Sources/CKernels/measured.c), from numpy: the F16 bits as numpy's astype(float16) gives
them, and over the finite pairs (original, F16 value back in F32) the float64 sums
sum((a-r)^2), sum(r^2), sum(a^2), sum(a*r), max|a-r|, plus the count of elements whose F32
bits differ and of pairs where either side is NaN or infinite.

Blocks of 256 holding no NaN or infinity take the fused AVX2 loop; the ones seeded with
NaN payloads, infinities and overflow take the slow path, and the tail is a partial block.

    python Scripts/gen_measured_conversion_vectors.py   # Formats/vectors/conversions/f16-measured.json
"""
import json
import pathlib

import numpy as np

rng = np.random.default_rng(20261130)
count = 256 * 12 + 77
values = np.concatenate([
    rng.standard_normal(256 * 4).astype(np.float32),
    (rng.standard_normal(256 * 2) * 3e4).astype(np.float32),                  # near F16's top, some overflow
    (rng.standard_normal(256 * 2) * 1e-6).astype(np.float32),                 # F16 subnormals
    (rng.integers(-2048, 2048, 256 * 2) / 1024 + 1 / 4096).astype(np.float32),  # exact ties
    rng.standard_normal(256 * 2 + 77).astype(np.float32),
])
assert values.size == count
bits = values.view(np.uint32)
bits[1] = 0x80000000                      # -0.0
bits[300] = 0x7FC00001                    # NaN with a payload (block 1)
bits[301] = 0xFFA00000                    # negative signalling-style NaN
bits[2600] = 0x7F800000                   # +inf (block 10)
bits[2601] = 0xFF800000                   # -inf
bits[count - 3] = 0x477FF000              # 65520: rounds to inf (tail)
values = bits.view(np.float32)

half = values.astype(np.float16)
back = half.astype(np.float32)
finite = np.isfinite(values) & np.isfinite(back)
r, a = values[finite].astype(np.float64), back[finite].astype(np.float64)
d = a - r
expected = {
    "input_bits": [int(v) for v in bits],
    "f16_bits": [int(v) for v in half.view(np.uint16)],
    "sum_squared_error": float(np.sum(d * d)),
    "sum_squared_reference": float(np.sum(r * r)),
    "sum_squared_approximation": float(np.sum(a * a)),
    "dot": float(np.sum(a * r)),
    "max_absolute_error": float(np.max(np.abs(d))),
    "differing": int(np.sum(values.view(np.uint32) != back.view(np.uint32))),
    "non_finite": int(np.sum(~finite)),
}
out = pathlib.Path(__file__).resolve().parent.parent / "Formats/vectors/conversions/f16-measured.json"
out.write_text(json.dumps(expected) + "\n")
print(out, out.stat().st_size, "bytes;", expected["non_finite"], "non-finite pairs,", expected["differing"], "differing")
