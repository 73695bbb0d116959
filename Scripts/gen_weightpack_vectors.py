"""Writes Formats/vectors/weightpack/: valid files from the independent Python writer
(Scripts/wpk.py) with a manifest of expected values, and damaged files named
`<error-code>--<variant>.wpk` that the Swift reader (or `weights verify`) must reject.

    python Scripts/gen_weightpack_vectors.py     (needs numpy, ml_dtypes, gguf)
"""
import hashlib
import json
import os
import shutil
import struct
import zlib

import ml_dtypes
import numpy as np

import wpk

ROOT = os.path.join(os.path.dirname(__file__), "..", "Formats", "vectors", "weightpack")
VALID, INVALID = os.path.join(ROOT, "valid"), os.path.join(ROOT, "invalid")
shutil.rmtree(ROOT, ignore_errors=True)
os.makedirs(VALID)
os.makedirs(INVALID)
rng = np.random.default_rng(7)
manifest = {}


def plain(name, array, dtype):
    return wpk.Tensor(name, dtype, array.shape, np.ascontiguousarray(array).tobytes())


def record(file, tensors, dequantized, **options):
    manifest[file] = {
        "metadata": options.get("metadata"), "config": options.get("config"), "compressed": options.get("compress", False),
        "tensors": {t.name: {"dtype": t.dtype, "shape": t.shape, "encoding": t.encoding,
                             "payload_sha256": hashlib.sha256(t.payload).hexdigest(),
                             "values_sha256": hashlib.sha256(np.asarray(dequantized[t.name], "<f4").tobytes()).hexdigest()
                             if t.name in dequantized else None}
                    for t in tensors},
    }
    return wpk.write(os.path.join(VALID, file), tensors, **options)


# The worked example of Formats/WeightPack.md.
w = np.array([1.0, -2.0], np.float32)
tiny = record("tiny.wpk", [plain("w", w, "F32")], {"w": w}, metadata={"format": "pt"})

# Every encoding, several dtypes, scalars, empty tensors, metadata and a config.
matrix = rng.standard_normal((4, 64)).astype(np.float32)
matrix[1] = 0  # an all-zero row: scale 0
int8_payload, int8_param = wpk.int8_per_row(matrix)
int8_values = np.frombuffer(int8_payload[:256], np.int8).reshape(4, 64).astype(np.float32) * \
    np.frombuffer(int8_payload[256:], "<f4")[:, None]
q8_payload = wpk.q8_0(matrix)
import gguf  # noqa: E402
q8_values = gguf.quants.dequantize(np.frombuffer(q8_payload, np.uint8).reshape(4, -1), gguf.GGMLQuantizationType.Q8_0)
half = rng.standard_normal((3, 5)).astype(np.float16)
brain = rng.standard_normal((2, 3)).astype(ml_dtypes.bfloat16)
ids = np.arange(6, dtype=np.int64).reshape(1, 6)
mixed_tensors = [
    plain("embeddings.weight", matrix, "F32"),
    wpk.Tensor("layer.0.int8.weight", "F32", [4, 64], int8_payload, "int8-per-row", int8_param),
    wpk.Tensor("layer.0.q8.weight", "F32", [4, 64], q8_payload, "q8_0", 32),
    plain("layer.0.half", half, "F16"),
    plain("layer.0.brain", brain, "BF16"),
    plain("position_ids", ids, "I64"),
    plain("scalar", np.array(3.5, np.float64), "F64"),
    plain("empty", np.zeros((0, 4), np.float32), "F32"),
    plain("émoji.😀", np.array([1, 2, 3], np.uint8), "U8"),
]
mixed_values = {"embeddings.weight": matrix, "layer.0.int8.weight": int8_values, "layer.0.q8.weight": q8_values,
                "layer.0.half": half.astype(np.float32), "layer.0.brain": brain.astype(np.float32),
                "position_ids": ids.astype(np.float32), "scalar": np.float32([3.5]), "empty": np.zeros(0, np.float32),
                "émoji.😀": np.float32([1, 2, 3])}
config = json.dumps({"model_type": "bert", "hidden_size": 64}, indent=2) + "\n"
mixed = record("mixed.wpk", mixed_tensors, mixed_values, metadata={"format": "pt", "note": "mixed ✓"}, config=config)
record("mixed-compressed.wpk", mixed_tensors, mixed_values, metadata={"format": "pt", "note": "mixed ✓"}, config=config, compress=True)
record("no-tensors.wpk", [], {}, metadata=None)
with open(os.path.join(VALID, "manifest.json"), "w", encoding="utf-8") as f:
    json.dump({"files": manifest}, f, ensure_ascii=False, indent=1, sort_keys=True)
    f.write("\n")

rows = []


def damaged(name, data, rule, fix_crc=True):
    data = bytearray(data)
    if fix_crc and len(data) >= 64:
        header_bytes = struct.unpack_from("<Q", data, 32)[0]
        if header_bytes <= len(data):
            struct.pack_into("<I", data, 48, 0)
            struct.pack_into("<I", data, 48, zlib.crc32(bytes(data[:header_bytes])))
    with open(os.path.join(INVALID, name + ".wpk"), "wb") as f:
        f.write(bytes(data))
    rows.append((name, rule))


def patched(base, fmt, offset, value):
    data = bytearray(base)
    struct.pack_into(fmt, data, offset, value)
    return data


TABLE = 64  # first record
damaged("file-too-small--40-bytes", tiny[:40], "shorter than the 64-byte header", fix_crc=False)
damaged("bad-magic--safetensors", b"\x10\0\0\0\0\0\0\0" + tiny[8:], "first 8 bytes are not the magic")
damaged("unsupported-version--2", patched(tiny, "<H", 8, 2), "version 2")
damaged("unknown-flags--bit-7", patched(tiny, "<H", 10, 0x81), "flag bit 7 set")
damaged("reserved-not-zero--tail", patched(tiny, "<B", 60, 1), "reserved header byte set")
damaged("truncated--cut-payload", tiny[:-4], "last 4 payload bytes missing", fix_crc=False)
damaged("trailing-bytes--extra", tiny + b"\0" * 8, "8 bytes after file_bytes", fix_crc=False)
damaged("header-size-mismatch--plus-one", patched(tiny, "<Q", 32, len(tiny) - 8 * 0 - (len(tiny) - struct.unpack_from('<Q', tiny, 32)[0]) + 1),
        "header_bytes one more than the sections")
damaged("header-checksum--flipped-name", bytes(tiny[:100]) + bytes([tiny[100] ^ 0x01]) + tiny[101:], "a header byte changed, CRC not updated",
        fix_crc=False)
damaged("header-checksum--flipped-crc", patched(tiny, "<I", 48, struct.unpack_from("<I", tiny, 48)[0] ^ 1), "stored CRC altered", fix_crc=False)
damaged("unknown-code--dtype-99", patched(tiny, "<B", TABLE, 99), "dtype code 99")
damaged("unknown-code--encoding-7", patched(tiny, "<B", TABLE + 1, 7), "encoding code 7")
damaged("unknown-code--compression-3", patched(tiny, "<B", TABLE + 2, 3), "compression code 3")
damaged("invalid-shape--rank-9", patched(tiny, "<B", TABLE + 3, 9), "rank 9")
damaged("invalid-shape--dims-outside-pool", patched(tiny, "<I", TABLE + 4, 5), "dims_index past the pool")
damaged("encoding-mismatch--int8-on-i64", patched(patched(tiny, "<B", TABLE, wpk.DTYPES.index("I64")), "<B", TABLE + 1, 1),
        "int8 per row on an I64 tensor")
damaged("encoding-mismatch--q8-rows-of-2", patched(patched(tiny, "<B", TABLE + 1, 2), "<I", TABLE + 28, 32), "q8_0 with rows of 2 values")
damaged("encoding-mismatch--param", patched(tiny, "<I", TABLE + 28, 1), "param 1 on a plain tensor")
damaged("invalid-offset--unaligned", patched(tiny, "<Q", TABLE + 8, 120), "payload offset 120 is not where the layout puts it")
damaged("invalid-size--stored-bytes", patched(tiny, "<Q", TABLE + 16, 12), "stored_bytes 12 for an 8-byte F32 [2] payload")
names_at = 64 + 32 + 8
damaged("invalid-names--shared-too-long", patched(tiny, "<B", names_at, 5), "first name shares 5 bytes with nothing")
damaged("invalid-names--not-utf8", patched(tiny, "<B", names_at + 2, 0xFF), "name byte 0xFF")
mixed_header = struct.unpack_from("<Q", mixed, 32)[0]
n, dim_count, names_bytes, metadata_bytes = struct.unpack_from("<IIII", mixed, 12)
meta_at = 64 + 32 * n + 8 * dim_count + names_bytes
damaged("invalid-metadata--count-too-large", patched(mixed, "<B", meta_at, 9), "metadata count 9 with 2 pairs present")
config_at = meta_at + metadata_bytes
damaged("invalid-config--not-utf8", patched(mixed, "<B", config_at, 0xC0), "config starts with 0xC0")
damaged("payload-checksum--flipped-payload", bytes(tiny[:-1]) + bytes([tiny[-1] ^ 0x80]), "payload byte changed (found by verify)",
        fix_crc=False)
payload_at = struct.unpack_from("<Q", tiny, TABLE + 8)[0]
damaged("non-zero-padding--before-payload", bytes(tiny[:payload_at - 1]) + b"\x01" + tiny[payload_at:], "padding byte set (found by verify)",
        fix_crc=False)

with open(os.path.join(INVALID, "README.md"), "w") as f:
    f.write("# Damaged WeightPack files\n\nWritten by `Scripts/gen_weightpack_vectors.py`. Each is named "
            "`<error-code>--<variant>.wpk`; opening (or, for payload damage, `weights verify`) must fail with that code. "
            "Header edits re-seal the header CRC unless the CRC is what is being tested.\n\n| file | what is wrong |\n| --- | --- |\n")
    for name, rule in rows:
        f.write(f"| `{name}.wpk` | {rule} |\n")
print(f"wrote {len(manifest)} valid and {len(rows)} invalid WeightPack files")
