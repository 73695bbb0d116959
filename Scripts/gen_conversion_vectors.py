"""Writes Formats/vectors/conversions/: input values and the reference libraries' outputs
for every conversion `weights convert --dtype` performs, as safetensors files:

  f32-to-f16, f64-to-f16, bf16-to-f16   numpy `astype(np.float16)` (bf16 via ml_dtypes)
  f32-to-bf16, f64-to-bf16, f16-to-bf16 `astype(ml_dtypes.bfloat16)`
  int8-per-row                          numpy, the documented formula (Scripts/wpk.py)
  q8_0                                  gguf-py `quantize` / `dequantize`

Each file holds `input` and `output` (and for quantization the stored payload pieces and
the dequantized values). Inputs are edge values (±0, subnormals, ties and their
neighbours, overflow, NaN payloads) plus seeded random bit patterns.

    cd Scripts && python gen_conversion_vectors.py     (needs numpy, ml_dtypes, gguf, safetensors)
"""
import os

import gguf
import ml_dtypes
import numpy as np
from safetensors.numpy import save_file

import wpk

OUT = os.path.join(os.path.dirname(__file__), "..", "Formats", "vectors", "conversions")
os.makedirs(OUT, exist_ok=True)
rng = np.random.default_rng(2026)
BF16 = ml_dtypes.bfloat16


def neighbours(values, dtype):
    """Each value and its nextafter neighbours, in `dtype`."""
    v = np.asarray(values, dtype)
    return np.concatenate([v, np.nextafter(v, dtype(np.inf)), np.nextafter(v, dtype(-np.inf))])


def half_ties(dtype):
    """Midpoints between adjacent float16 values (exactly representable in f32/f64)."""
    h = np.arange(0, 0x7C00, dtype=np.uint16).view(np.float16).astype(np.float64)
    mids = (h[:-1] + h[1:]) / 2
    pick = np.concatenate([mids[:64], mids[0x3C00 - 32:0x3C00 + 32], mids[-64:], rng.choice(mids, 512)])
    return neighbours(np.concatenate([pick, -pick]), dtype)


def bf16_ties(dtype):
    b = rng.integers(0, 0x7F80, 2048, dtype=np.uint16).view(BF16).astype(np.float64)
    nxt = (b.astype(BF16).view(np.uint16) + 1).view(BF16).astype(np.float64)
    mids = (b + nxt) / 2
    return neighbours(np.concatenate([mids, -mids]), dtype)


def specials(dtype):
    bits = {np.float32: np.uint32, np.float64: np.uint64}[dtype]
    info = np.finfo(dtype)
    nan_bits = [0x7FC00000, 0x7F800001, 0x7FA00000, 0xFFC00001, 0x7F802000, 0x7FBFFFFF] if dtype == np.float32 else \
        [0x7FF8000000000000, 0x7FF0000000000001, 0x7FF4000000000000, 0xFFF8000000000001, 0x7FF0040000000000]
    values = np.array([0.0, -0.0, np.inf, -np.inf, 1.0, -1.0, 65504.0, 65519.0, 65519.99, 65520.0, 65536.0, 1e6, -1e6,
                       6.103515625e-05, 5.960464477539063e-08, 2.98e-08, 2.9802322387695312e-08, 1e-10, info.tiny,
                       info.max, -info.max, 3.3895313892515355e38, 3.4e38, 1.0 / 3, np.pi, 1e-45 if dtype == np.float32 else 5e-324],
                      dtype)
    return np.concatenate([values, np.array(nan_bits, bits).view(dtype)])


def random_bits(dtype, count):
    bits = {np.float32: np.uint32, np.float64: np.uint64}[dtype]
    if dtype == np.float32:
        return rng.integers(0, 2**32, count, dtype=np.uint64).astype(np.uint32).view(np.float32)
    # f64 values spread over the f16/bf16 range and beyond.
    return (rng.standard_normal(count) * np.exp2(rng.integers(-30, 30, count))).astype(np.float64)


def write(name, tensors):
    save_file(tensors, os.path.join(OUT, f"{name}.safetensors"), metadata={"generator": "Scripts/gen_conversion_vectors.py"})


with np.errstate(over="ignore", invalid="ignore"):
    for source in (np.float32, np.float64):
        tag = "f32" if source == np.float32 else "f64"
        x = np.concatenate([specials(source), half_ties(source), random_bits(source, 20000)]).astype(source)
        write(f"{tag}-to-f16", {"input": x, "output": x.astype(np.float16)})
        y = np.concatenate([specials(source), bf16_ties(source), random_bits(source, 20000)]).astype(source)
        write(f"{tag}-to-bf16", {"input": y, "output": y.astype(BF16)})
    all_bf16 = np.arange(0, 1 << 16, dtype=np.uint32).astype(np.uint16).view(BF16)
    write("bf16-to-f16", {"input": all_bf16, "output": all_bf16.astype(np.float16)})
    all_f16 = np.arange(0, 1 << 16, dtype=np.uint32).astype(np.uint16).view(np.float16)
    write("f16-to-bf16", {"input": all_f16, "output": all_f16.astype(BF16)})

# Int8 per row: random rows, an all-zero row, rows whose quotients hit .5 ties exactly,
# a row with one huge value, and rows of subnormals.
rows = rng.standard_normal((12, 96)).astype(np.float32)
rows[1] = 0
rows[2] = np.float32(127) * np.float32(0.5) * np.sign(rng.standard_normal(96)).astype(np.float32)  # ties at 0.5 steps
rows[2, :8] = [127, -127, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5]
rows[3] = np.linspace(-1, 1, 96, dtype=np.float32)
rows[4, 0] = 1e30
rows[5] = rng.standard_normal(96).astype(np.float32) * np.float32(1e-40)
payload, param = wpk.int8_per_row(rows)
values_bytes = param * 64
q = np.frombuffer(payload[:12 * 96], np.int8).reshape(12, 96)
scales = np.frombuffer(payload[values_bytes:], "<f4")
write("int8-per-row", {"input": rows, "q": q.copy(), "scale": scales.copy().reshape(12, 1),
                       "dequantized": (q.astype(np.float32) * scales[:, None]).astype(np.float32)})

# Q8_0: blocks of 32 including zero blocks, blocks with ties, large and tiny magnitudes.
blocks = rng.standard_normal((16, 128)).astype(np.float32)
blocks[0, :32] = 0
blocks[1, :32] = np.arange(32, dtype=np.float32) - 15.5
blocks[2] *= np.float32(70000)
blocks[3] *= np.float32(1e-6)
blocks[4, :32] = np.float32(127) * np.float32(0.5)
blocks[5] = np.linspace(-3, 3, 128, dtype=np.float32)
packed = gguf.quants.quantize(blocks, gguf.GGMLQuantizationType.Q8_0)
write("q8_0", {"input": blocks, "packed": np.ascontiguousarray(packed).view(np.uint8).reshape(-1),
               "dequantized": gguf.quants.dequantize(packed, gguf.GGMLQuantizationType.Q8_0).astype(np.float32)})
print("wrote", sorted(os.listdir(OUT)))
