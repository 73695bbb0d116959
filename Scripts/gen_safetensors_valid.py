"""Writes Formats/vectors/safetensors/valid/: files written by the reference Python
`safetensors` package, plus manifest.json (names, dtypes, shapes, SHA-256 of each
tensor's bytes) that the Swift tests compare against.

    python Scripts/gen_safetensors_valid.py        (needs safetensors, numpy, ml_dtypes)
"""
import hashlib
import json
import os
import shutil

import ml_dtypes
import numpy as np
from safetensors.numpy import save_file

OUT = os.path.join(os.path.dirname(__file__), "..", "Formats", "vectors", "safetensors", "valid")
DTYPE_NAMES = {
    np.dtype(bool): "BOOL", np.dtype(np.uint8): "U8", np.dtype(np.int8): "I8", np.dtype(np.int16): "I16",
    np.dtype(np.uint16): "U16", np.dtype(np.int32): "I32", np.dtype(np.uint32): "U32", np.dtype(np.int64): "I64",
    np.dtype(np.uint64): "U64", np.dtype(np.float16): "F16", np.dtype(ml_dtypes.bfloat16): "BF16",
    np.dtype(np.float32): "F32", np.dtype(np.float64): "F64", np.dtype(ml_dtypes.float8_e4m3fn): "F8_E4M3",
    np.dtype(ml_dtypes.float8_e5m2): "F8_E5M2", np.dtype(np.complex64): "C64",
}
rng = np.random.default_rng(20261129)
manifest = {}


def floats(dtype, shape):
    values = rng.standard_normal(shape).astype(np.float32)
    flat = values.reshape(-1)
    specials = [np.nan, np.inf, -np.inf, -0.0, 1e-40, 6e-8, 65504.0, 3.4e38]
    flat[: min(len(specials), flat.size)] = specials[: flat.size]
    return values.astype(dtype)


def integers(dtype, shape):
    info = np.iinfo(dtype)
    values = rng.integers(info.min, info.max, size=shape, dtype=dtype, endpoint=True)
    flat = values.reshape(-1)
    if flat.size >= 2:
        flat[0], flat[1] = info.min, info.max
    return values


def write(name, tensors, metadata):
    path = os.path.join(OUT, name)
    save_file(tensors, path, metadata=metadata)
    with open(path, "rb") as f:
        n = int.from_bytes(f.read(8), "little")
        written_metadata = json.loads(f.read(n)).get("__metadata__")
    manifest[name] = {
        "metadata": written_metadata,
        "tensors": sorted(
            ({"name": k, "dtype": DTYPE_NAMES[v.dtype], "shape": list(v.shape),
              "sha256": hashlib.sha256(np.ascontiguousarray(v).tobytes()).hexdigest()} for k, v in tensors.items()),
            key=lambda t: t["name"]),
    }


shutil.rmtree(OUT, ignore_errors=True)
os.makedirs(OUT)

for dtype in [np.float16, ml_dtypes.bfloat16, np.float32, np.float64, ml_dtypes.float8_e4m3fn, ml_dtypes.float8_e5m2]:
    code = DTYPE_NAMES[np.dtype(dtype)].lower()
    write(f"dtype-{code}.safetensors", {"matrix": floats(dtype, (3, 5)), "vector": floats(dtype, (7,))}, {"format": "pt"})
for dtype in [np.uint8, np.int8, np.int16, np.uint16, np.int32, np.uint32, np.int64, np.uint64]:
    code = DTYPE_NAMES[np.dtype(dtype)].lower()
    write(f"dtype-{code}.safetensors", {"matrix": integers(dtype, (4, 3)), "vector": integers(dtype, (5,))}, {"format": "pt"})
write("dtype-bool.safetensors", {"mask": rng.integers(0, 2, size=(2, 9)).astype(bool)}, {"format": "pt"})
write("dtype-c64.safetensors", {"z": (rng.standard_normal(6) + 1j * rng.standard_normal(6)).astype(np.complex64)}, {"format": "pt"})

write("scalars.safetensors", {"f": np.array(1.5, np.float32), "i": np.array(-7, np.int64), "h": np.array(2, np.float16)}, None)
write("empty-tensors.safetensors", {"empty": np.zeros((0,), np.float32), "empty2d": np.zeros((3, 0), np.float32),
                                    "after": np.arange(4, dtype=np.float32)}, {"format": "pt"})
write("no-tensors.safetensors", {}, {"format": "pt"})
write("no-metadata.safetensors", {"w": floats(np.float32, (2, 2))}, None)
write("empty-metadata.safetensors", {"w": floats(np.float32, (2,))}, {})
write("several-metadata.safetensors", {"w": floats(np.float32, (2,))},
      {"format": "pt", "model": "tiny", "note": "line\nbreak \"quoted\" \\ slash/", "ünïcödé": "值 ✓ 😀"})
write("unicode-names.safetensors", {
    "caf\u00e9.weight": floats(np.float32, (2,)), "\u6743\u91cd": floats(np.float32, (1,)), "emoji.\U0001F600": floats(np.float16, (3,)),
    "quote\"back\\slash": floats(np.float32, (1,)), "ctrl\u0001\u001f\ttab\nline": floats(np.float32, (2,)), "a/b/c": floats(np.float64, (1,)),
    "\u007fdel": floats(np.float32, (1,)),
}, {"format": "pt", "описание": "модель"})
write("mixed-dtypes.safetensors", {
    "z.last": floats(np.float32, (2, 3)), "a.first": floats(np.float32, (4,)), "m.half": floats(np.float16, (5,)),
    "b.bf16": floats(ml_dtypes.bfloat16, (3,)), "ids": integers(np.int64, (1, 6)), "mask": np.ones(3, bool),
    "q": integers(np.int8, (2, 2)), "u": integers(np.uint8, (3,)), "d": floats(np.float64, (2,)), "f8": floats(ml_dtypes.float8_e4m3fn, (4,)),
    "Upper": floats(np.float32, (1,)), "_under": floats(np.float32, (1,)),
}, {"format": "pt"})
write("many-5000-tensors.safetensors",
      {f"layer.{i // 10}.block.{i % 10}.{'weight' if i % 2 else 'bias'}": floats(np.float16 if i % 3 else np.float32, (2,)) for i in range(5000)},
      {"format": "pt"})

with open(os.path.join(OUT, "manifest.json"), "w", encoding="utf-8") as f:
    json.dump({"files": manifest}, f, ensure_ascii=False, indent=1, sort_keys=True)
    f.write("\n")
total = sum(os.path.getsize(os.path.join(OUT, p)) for p in os.listdir(OUT))
print(f"wrote {len(manifest)} files to {OUT} ({total} bytes)")
