"""An independent Python implementation of the WeightPack writer (Formats/WeightPack.md),
used to make test vectors the Swift reader must accept and the Swift writer must
reproduce byte for byte. Quantized payloads come from reference code: Q8_0 from gguf-py,
Int8 per row from numpy following the documented formula."""
import struct
import zlib

import numpy as np

MAGIC = b"WPACK\x00\r\n"
DTYPES = ["BOOL", "F4", "F6_E2M3", "F6_E3M2", "U8", "I8", "F8_E5M2", "F8_E4M3", "F8_E8M0", "F8_E4M3FNUZ",
          "F8_E5M2FNUZ", "I16", "U16", "F16", "BF16", "I32", "U32", "F32", "C64", "F64", "I64", "U64"]
ENCODINGS = {"plain": 0, "int8-per-row": 1, "q8_0": 2}
SIZES = {"BOOL": 1, "U8": 1, "I8": 1, "F8_E5M2": 1, "F8_E4M3": 1, "I16": 2, "U16": 2, "F16": 2, "BF16": 2,
         "I32": 4, "U32": 4, "F32": 4, "F64": 8, "I64": 8, "U64": 8, "C64": 8}


def align64(x):
    return (x + 63) & ~63


def varint(value):
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def int8_per_row(values):
    """scale = max|row| / 127; q = round half away from zero (x / scale), clamped; zero rows: scale 0."""
    x = np.asarray(values, np.float32)
    rows = x.reshape(-1, x.shape[-1]) if x.ndim else x.reshape(1, 1)
    amax = np.abs(rows).max(axis=1) if rows.shape[1] else np.zeros(rows.shape[0], np.float32)
    scale = (amax / np.float32(127)).astype(np.float32)
    safe = np.where(scale == 0, np.float32(1), scale)
    q = (rows / safe[:, None]).astype(np.float64)  # the quotient in float32, rounded exactly in float64
    q = np.sign(q) * np.floor(np.abs(q) + 0.5)
    q = np.clip(q, -127, 127).astype(np.int8)
    q[scale == 0] = 0
    values_bytes = q.tobytes()
    padded = values_bytes + b"\0" * (align64(len(values_bytes)) - len(values_bytes))
    return padded + scale.astype("<f4").tobytes(), align64(len(values_bytes)) // 64


def q8_0(values):
    import gguf
    return gguf.quants.quantize(np.asarray(values, np.float32), gguf.GGMLQuantizationType.Q8_0).tobytes()


def shuffle(payload, width):
    if width <= 1:
        return payload
    return np.frombuffer(payload, np.uint8).reshape(-1, width).T.copy().tobytes()


class Tensor:
    def __init__(self, name, dtype, shape, payload, encoding="plain", param=0):
        self.name, self.dtype, self.shape = name, dtype, list(shape)
        self.payload, self.encoding, self.param = payload, encoding, param


def write(path, tensors, metadata=None, config=None, compress=False):
    tensors = sorted(tensors, key=lambda t: t.name.encode("utf-8"))
    dims, pool, dims_index = [], {}, []
    names, previous = bytearray(), b""
    for t in tensors:
        key = tuple(t.shape)
        if not key:
            dims_index.append(0)
        elif key in pool:
            dims_index.append(pool[key])
        else:
            pool[key] = len(dims)
            dims_index.append(len(dims))
            dims.extend(key)
        encoded = t.name.encode("utf-8")
        shared = 0
        while shared < min(len(previous), len(encoded)) and previous[shared] == encoded[shared]:
            shared += 1
        names += varint(shared) + varint(len(encoded) - shared) + encoded[shared:]
        previous = encoded
    meta = None
    if metadata is not None:
        meta = bytearray(varint(len(metadata)))
        for k, v in metadata.items():
            meta += varint(len(k.encode())) + k.encode() + varint(len(v.encode())) + v.encode()
    config_bytes = config.encode("utf-8") if config is not None else None
    header_bytes = 64 + 32 * len(tensors) + 8 * len(dims) + len(names) + len(meta or b"") + len(config_bytes or b"")

    records, body = [], bytearray()
    position = align64(header_bytes) if tensors else header_bytes
    for i, t in enumerate(tensors):
        stored = t.payload
        compressed = compress and len(t.payload) > 0
        if compressed:
            width = SIZES.get(t.dtype, 1) if t.encoding == "plain" else 1
            stored = zlib.compress(shuffle(t.payload, width), 6)
        records.append(struct.pack("<BBBBIQQII", DTYPES.index(t.dtype), ENCODINGS[t.encoding], 1 if compressed else 0,
                                   len(t.shape), dims_index[i], position, len(stored), zlib.crc32(stored), t.param))
        body += stored
        position += len(stored)
        if i != len(tensors) - 1:
            pad = align64(position) - position
            body += b"\0" * pad
            position += pad
    flags = (1 if meta is not None else 0) | (2 if config_bytes is not None else 0)
    head = struct.pack("<8sHHIIIIIQQI12s", MAGIC, 1, flags, len(tensors), len(dims), len(names), len(meta or b""),
                       len(config_bytes or b""), header_bytes, position, 0, b"\0" * 12)
    header = bytearray(head + b"".join(records) + b"".join(struct.pack("<Q", d) for d in dims) + names + (meta or b"") + (config_bytes or b""))
    struct.pack_into("<I", header, 48, zlib.crc32(bytes(header)))
    first = align64(header_bytes) if tensors else header_bytes
    data = bytes(header) + b"\0" * (first - header_bytes) + bytes(body)
    with open(path, "wb") as f:
        f.write(data)
    return data
