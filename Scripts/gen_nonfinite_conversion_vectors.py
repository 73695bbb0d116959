"""Writes Formats/vectors/conversions/{int8-per-row,q8_0}-nonfinite.safetensors: what the
reference implementations do with NaN and infinities, which `weights convert --dtype int8`
and `--dtype q8_0 --allow-nonfinite` reproduce:

  int8-per-row-nonfinite   numpy, the documented formula (Scripts/wpk.py `int8_per_row`)
  q8_0-nonfinite           gguf-py `quants.quantize` / `quants.dequantize`

Both give a row (Int8) or 32-value block (Q8_0) holding a NaN a NaN scale, one holding an
infinity (and no NaN) a +inf scale, and every q of such a row or block 0 (numpy casts the
NaN quotients to int8 as 0), so all its values dequantize to NaN. Rows and blocks without
one are quantized as usual.

    cd Scripts && python gen_nonfinite_conversion_vectors.py     (needs numpy, gguf, safetensors)
"""
import os
import warnings

import gguf
import numpy as np
from safetensors.numpy import save_file

import wpk

OUT = os.path.join(os.path.dirname(__file__), "..", "Formats", "vectors", "conversions")
rng = np.random.default_rng(2027)
NAN_PAYLOAD = np.array([0x7FC01234], np.uint32).view(np.float32)[0]
NEGATIVE_NAN = np.array([0xFFC00000], np.uint32).view(np.float32)[0]


def specials(width):
    """Rows of `width` values: one non-finite value in each position class, whole rows of
    them, and finite rows beside them."""
    rows = rng.standard_normal((12, width)).astype(np.float32)
    rows[0, 3] = np.nan
    rows[1, 5] = np.inf
    rows[2, width - 1] = -np.inf
    rows[3, :] = np.nan
    rows[4, :] = np.inf
    rows[5, [0, 9]] = [np.inf, np.nan]          # NaN wins over the infinity
    rows[6, 1] = NAN_PAYLOAD                     # a NaN with a payload
    rows[7, 2] = NEGATIVE_NAN                    # a NaN with the sign bit set
    rows[8, :] = 0
    rows[8, 4] = -np.inf                         # zeros and one infinity
    rows[9] *= np.float32(1e30)                  # finite, huge
    return rows


def write(name, tensors):
    save_file(tensors, os.path.join(OUT, f"{name}.safetensors"),
              metadata={"generator": "Scripts/gen_nonfinite_conversion_vectors.py"})


with warnings.catch_warnings(), np.errstate(invalid="ignore", over="ignore"):
    warnings.simplefilter("ignore")
    rows = specials(96)
    payload, param = wpk.int8_per_row(rows)
    q = np.frombuffer(payload[:rows.size], np.int8).reshape(rows.shape)
    scales = np.frombuffer(payload[param * 64:], "<f4")
    write("int8-per-row-nonfinite", {"input": rows, "q": q.copy(), "scale": scales.copy().reshape(-1, 1),
                                     "dequantized": (q.astype(np.float32) * scales[:, None]).astype(np.float32)})

    # Q8_0 blocks of 32: each row of `specials(32)` is one block; a last row holds four
    # blocks of which only the third has an infinity.
    blocks = np.concatenate([specials(32).reshape(-1), rng.standard_normal(128).astype(np.float32)]).reshape(-1, 128)
    blocks[-1, 70] = np.inf
    packed = gguf.quants.quantize(blocks, gguf.GGMLQuantizationType.Q8_0)
    write("q8_0-nonfinite", {"input": blocks, "packed": np.ascontiguousarray(packed).view(np.uint8).reshape(-1),
                             "dequantized": gguf.quants.dequantize(packed, gguf.GGMLQuantizationType.Q8_0).astype(np.float32)})
print("wrote int8-per-row-nonfinite, q8_0-nonfinite")
