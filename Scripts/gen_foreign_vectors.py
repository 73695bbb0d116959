#!/usr/bin/env python3
"""Small files in formats `weights` recognises but does not read (Formats/vectors/foreign/),
each written by the library that owns the format (numpy, pickle, zipfile) or, where that
library is not a fixture dependency, by the format's documented magic bytes (GGUF, HDF5,
ONNX's leading ir_version field). Named for what ForeignFormat.sniff must call them.
Legacy torch.save files start with a protocol-2 pickle of the magic number
0x1950a86a20f9469cfc6c (torch/serialization.py, MAGIC_NUMBER), written here with pickle."""
import os, pickle, struct, zipfile
import numpy as np

out = os.path.join(os.path.dirname(__file__), "..", "Formats", "vectors", "foreign")
os.makedirs(out, exist_ok=True)
path = lambda name: os.path.join(out, name)

np.save(path("numpy.npy"), np.arange(4, dtype=np.float32))
np.savez(path("numpyZip.npz"), x=np.arange(3))
with open(path("gguf.gguf"), "wb") as f:  # magic, version 3, tensor count 0, metadata count 0
    f.write(b"GGUF" + struct.pack("<IQQ", 3, 0, 0))
with open(path("pickle.pkl"), "wb") as f:
    pickle.dump({"w": [1, 2]}, f, protocol=2)
with zipfile.ZipFile(path("pytorchZip.pt"), "w", zipfile.ZIP_STORED) as z:  # torch >= 1.6 layout
    z.writestr("archive/data.pkl", pickle.dumps({}, protocol=2))
    z.writestr("archive/byteorder", "little")
    z.writestr("archive/version", "3\n")
with zipfile.ZipFile(path("zip.zip"), "w") as z:
    z.writestr("readme.txt", "not weights")
with open(path("pytorchLegacy.bin"), "wb") as f:
    f.write(pickle.dumps(0x1950A86A20F9469CFC6C, protocol=2) + pickle.dumps(1001, protocol=2))
with open(path("hdf5.h5"), "wb") as f:
    f.write(b"\x89HDF\r\n\x1a\n" + bytes(32))
with open(path("onnx.onnx"), "wb") as f:  # ModelProto: field 1 ir_version = 7, field 2 producer_name
    f.write(b"\x08\x07\x12\x07pytorch")
