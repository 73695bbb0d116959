"""Writes Formats/vectors/safetensors/valid/: files written by the reference Python
`safetensors` package, plus manifest.json (names, dtypes, shapes, SHA-256 of each
tensor's bytes) that the Swift tests compare against.

    PYTHONDONTWRITEBYTECODE=1 python Scripts/gen_safetensors_valid.py
    (needs safetensors >= 0.6 for the FNUZ/E8M0/F4 files, numpy, ml_dtypes)

Deterministic: data comes from a seeded generator, and the reference writer's
metadata order (a Rust HashMap, random per call) is pinned by rewriting a file until
its __metadata__ keys come out in the order the script lists them.
"""
import hashlib
import json
import os
import shutil
import sys

import ml_dtypes
import numpy as np
from safetensors import SafetensorError, TensorSpec, serialize_file
from safetensors.numpy import save_file

assert sys.byteorder == "little", "manifest hashes are of little-endian bytes"

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Formats", "vectors", "safetensors", "valid")
DTYPE_NAMES = {
    np.dtype(bool): "BOOL", np.dtype(np.uint8): "U8", np.dtype(np.int8): "I8", np.dtype(np.int16): "I16",
    np.dtype(np.uint16): "U16", np.dtype(np.int32): "I32", np.dtype(np.uint32): "U32", np.dtype(np.int64): "I64",
    np.dtype(np.uint64): "U64", np.dtype(np.float16): "F16", np.dtype(ml_dtypes.bfloat16): "BF16",
    np.dtype(np.float32): "F32", np.dtype(np.float64): "F64", np.dtype(ml_dtypes.float8_e4m3fn): "F8_E4M3",
    np.dtype(ml_dtypes.float8_e5m2): "F8_E5M2", np.dtype(np.complex64): "C64",
    np.dtype(ml_dtypes.float8_e4m3fnuz): "F8_E4M3FNUZ", np.dtype(ml_dtypes.float8_e5m2fnuz): "F8_E5M2FNUZ",
    np.dtype(ml_dtypes.float8_e8m0fnu): "F8_E8M0",
}
rng = np.random.default_rng(20261129)
manifest = {}
skipped = []


class PackedF4:
    """F4 (E2M1) values packed two per byte, low nibble first. numpy has no 4-bit dtype;
    the reference package takes torch's name for the packed pair, `float4_e2m1fn_x2`,
    and writes dtype "F4" with the last dimension doubled."""

    def __init__(self, packed):
        self.packed = np.ascontiguousarray(packed, dtype=np.uint8)

    def spec(self):
        p = self.packed
        return TensorSpec(dtype="float4_e2m1fn_x2", shape=p.shape, data_ptr=p.ctypes.data, data_len=p.nbytes)

    def expected(self):
        return "F4", list(self.packed.shape[:-1]) + [2 * self.packed.shape[-1]], self.packed.tobytes()


def describe(value):
    if isinstance(value, PackedF4):
        return value.expected()
    return DTYPE_NAMES[value.dtype], list(value.shape), np.ascontiguousarray(value).tobytes()


def floats(dtype, shape):
    values = rng.standard_normal(shape).astype(np.float32)
    flat = values.reshape(-1)
    specials = [np.nan, np.inf, -np.inf, -0.0, 1e-40, 6e-8, 65504.0, 3.4e38]
    flat[: min(len(specials), flat.size)] = specials[: flat.size]
    with np.errstate(over="ignore", invalid="ignore"):
        out = values.astype(dtype)
    if out.size > len(specials):  # the type's own smallest subnormal, in the last place
        out.reshape(-1)[-1] = ml_dtypes.finfo(dtype).smallest_subnormal
    return out


def integers(dtype, shape):
    info = np.iinfo(dtype)
    values = rng.integers(info.min, info.max, size=shape, dtype=dtype, endpoint=True)
    flat = values.reshape(-1)
    if flat.size >= 2:
        flat[0], flat[1] = info.min, info.max
    return values


def all_bit_patterns(dtype):
    """Every one of the 256 encodings of an 8-bit type, as a 16x16 matrix."""
    return np.arange(256, dtype=np.uint8).view(dtype).reshape(16, 16)


def save_once(path, tensors, metadata):
    if any(isinstance(v, PackedF4) for v in tensors.values()):
        keep = {k: v if isinstance(v, PackedF4) else np.ascontiguousarray(v) for k, v in tensors.items()}
        specs = {k: v.spec() if isinstance(v, PackedF4) else
                 TensorSpec(dtype=v.dtype.name, shape=v.shape, data_ptr=v.ctypes.data, data_len=v.nbytes)
                 for k, v in keep.items()}
        serialize_file(specs, path, metadata=metadata)
    else:
        save_file(tensors, path, metadata=metadata)
    with open(path, "rb") as f:
        n = int.from_bytes(f.read(8), "little")
        return json.loads(f.read(n))


def write(name, tensors, metadata):
    path = os.path.join(OUT, name)
    for _ in range(10_000):
        header = save_once(path, tensors, metadata)
        if metadata is None or list(header.get("__metadata__", {})) == list(metadata):
            break
    else:
        raise SystemExit(f"{name}: metadata never came out in the listed order")
    written_metadata = header.pop("__metadata__", None)
    assert (written_metadata or {}) == (metadata or {}), (name, written_metadata)
    entries = []
    for k, v in tensors.items():
        dtype, shape, data = describe(v)
        assert header[k]["dtype"] == dtype and header[k]["shape"] == shape, (name, k, header[k], dtype, shape)
        begin, end = header[k]["data_offsets"]
        assert end - begin == len(data), (name, k)
        entries.append({"name": k, "dtype": dtype, "shape": shape, "sha256": hashlib.sha256(data).hexdigest()})
    assert len(header) == len(entries)
    manifest[name] = {"metadata": written_metadata, "tensors": sorted(entries, key=lambda t: t["name"])}


def try_write(name, make_tensors, metadata):
    """For types an older `safetensors` may not know: skip the file if the writer refuses."""
    try:
        write(name, make_tensors(), metadata)
    except (SafetensorError, ValueError, TypeError, KeyError) as error:
        skipped.append(f"{name}: {error}")
        path = os.path.join(OUT, name)
        if os.path.exists(path):
            os.remove(path)


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
# Keys listed out of sorted order on purpose: a writer must keep the order it read.
write("several-metadata.safetensors", {"w": floats(np.float32, (2,))},
      {"note": "line\nbreak \"quoted\" \\ slash/", "format": "pt", "ünïcödé": "值 ✓ 😀", "model": "tiny"})
write("unicode-names.safetensors", {
    "caf\u00e9.weight": floats(np.float32, (2,)), "\u6743\u91cd": floats(np.float32, (1,)), "emoji.\U0001F600": floats(np.float16, (3,)),
    "quote\"back\\slash": floats(np.float32, (1,)), "ctrl\u0001\u001f\ttab\nline": floats(np.float32, (2,)), "a/b/c": floats(np.float64, (1,)),
    "\u007fdel": floats(np.float32, (1,)),
}, {"описание": "модель", "format": "pt"})
write("mixed-dtypes.safetensors", {
    "z.last": floats(np.float32, (2, 3)), "a.first": floats(np.float32, (4,)), "m.half": floats(np.float16, (5,)),
    "b.bf16": floats(ml_dtypes.bfloat16, (3,)), "ids": integers(np.int64, (1, 6)), "mask": np.ones(3, bool),
    "q": integers(np.int8, (2, 2)), "u": integers(np.uint8, (3,)), "d": floats(np.float64, (2,)), "f8": floats(ml_dtypes.float8_e4m3fn, (4,)),
    "Upper": floats(np.float32, (1,)), "_under": floats(np.float32, (1,)),
}, {"format": "pt"})
write("many-5000-tensors.safetensors",
      {f"layer.{i // 10}.block.{i % 10}.{'weight' if i % 2 else 'bias'}": floats(np.float16 if i % 3 else np.float32, (2,)) for i in range(5000)},
      {"format": "pt"})

# Newer types, last so that a package refusing them leaves the files above unchanged:
# every bit pattern, plus ordinary values where the type has them.
for dtype in [ml_dtypes.float8_e4m3fnuz, ml_dtypes.float8_e5m2fnuz]:
    code = DTYPE_NAMES[np.dtype(dtype)].lower()
    try_write(f"dtype-{code}.safetensors",
              lambda dtype=dtype: {"all_bits": all_bit_patterns(dtype), "matrix": floats(dtype, (3, 5))}, {"format": "pt"})
try_write("dtype-f8_e8m0.safetensors", lambda: {
    "all_bits": all_bit_patterns(ml_dtypes.float8_e8m0fnu),
    "scales": rng.integers(100, 150, size=(2, 4), dtype=np.uint8).view(ml_dtypes.float8_e8m0fnu),
}, {"format": "pt"})
try_write("dtype-f4.safetensors", lambda: {
    "all_pairs": PackedF4(np.arange(256, dtype=np.uint8).reshape(16, 16)),   # F4 [16, 32]
    "vector": PackedF4(rng.integers(0, 256, size=(3,), dtype=np.uint8)),     # F4 [6]
}, {"format": "pt"})


def all_dtypes():
    """Two tensors of every type, named so that name order disagrees with type order
    (the writer sorts by type, descending in the reference enum, then by name)."""
    makers = [
        lambda: rng.integers(0, 2, size=(3,)).astype(bool), lambda: PackedF4(rng.integers(0, 256, size=(2,), dtype=np.uint8)),
        lambda: integers(np.uint8, (3,)), lambda: integers(np.int8, (3,)),
        lambda: floats(ml_dtypes.float8_e5m2, (3,)), lambda: floats(ml_dtypes.float8_e4m3fn, (3,)),
        lambda: all_bit_patterns(ml_dtypes.float8_e8m0fnu)[3, :3],
        lambda: floats(ml_dtypes.float8_e4m3fnuz, (3,)), lambda: floats(ml_dtypes.float8_e5m2fnuz, (3,)),
        lambda: integers(np.int16, (3,)), lambda: integers(np.uint16, (3,)),
        lambda: floats(np.float16, (3,)), lambda: floats(ml_dtypes.bfloat16, (3,)),
        lambda: integers(np.int32, (3,)), lambda: integers(np.uint32, (3,)), lambda: floats(np.float32, (3,)),
        lambda: (rng.standard_normal(3) + 1j * rng.standard_normal(3)).astype(np.complex64),
        lambda: floats(np.float64, (3,)), lambda: integers(np.int64, (3,)), lambda: integers(np.uint64, (3,)),
    ]
    tensors = {}
    for i, make in enumerate(makers):
        tensors[f"t{i:02d}"] = make()                    # t00 (BOOL) ... t19 (U64): names ascend as types ascend
        tensors[f"{'Z' if i % 2 else 'a'}{19 - i}"] = make()  # upper-case sorts before lower-case
    return tensors


try_write("all-dtypes.safetensors", all_dtypes, {"format": "pt"})

# Names and keys only their bytes tell apart (last, so the files above keep their random
# data): an escaped NUL inside a name and a key (serde_json writes it as \u0000), and two
# spellings of "café" (precomposed U+00E9; e + combining U+0301) holding different values.
write("exact-names.safetensors", {
    "a\u0000b": np.array([1.0, 2.0], np.float32), "a": np.array([3.0], np.float32), "a\u0000c": np.array([4.0, 5.0, 6.0], np.float16),
    "caf\u00e9": np.array([7.0, 8.0], np.float32), "cafe\u0301": np.array([-9.0, 10.0], np.float32),
}, {"format": "pt", "key\u0000nul": "value\u0000nul"})

with open(os.path.join(OUT, "manifest.json"), "w", encoding="utf-8") as f:
    json.dump({"files": manifest}, f, ensure_ascii=False, indent=1, sort_keys=True)
    f.write("\n")
for name in os.listdir(OUT):  # the reference writer creates files 0600
    os.chmod(os.path.join(OUT, name), 0o644)
for line in skipped:
    print("skipped", line)
total = sum(os.path.getsize(os.path.join(OUT, p)) for p in os.listdir(OUT))
print(f"wrote {len(manifest)} files and manifest.json to {os.path.normpath(OUT)} ({total} bytes)")
