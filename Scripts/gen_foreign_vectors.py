#!/usr/bin/env python3
"""Small files in formats `weights` recognises but does not read (Formats/vectors/foreign/),
each written by the library that owns the format (numpy, pickle, zipfile) or, where that
library is not a fixture dependency, by the format's documented magic bytes (HDF5,
ONNX's leading ir_version field). Named for what ForeignFormat.sniff must call them.
torch.save checkpoints are read (Scripts/gen_pytorch_vectors.py writes those); a plain
pickle and a zip without ARCHIVE/data.pkl stay foreign. GGUF files are read too
(Scripts/gen_gguf_vectors.py)."""
import os, pickle, struct, zipfile
import numpy as np

out = os.path.join(os.path.dirname(__file__), "..", "Formats", "vectors", "foreign")
os.makedirs(out, exist_ok=True)
path = lambda name: os.path.join(out, name)

np.save(path("numpy.npy"), np.arange(4, dtype=np.float32))
np.savez(path("numpyZip.npz"), x=np.arange(3))
with open(path("pickle.pkl"), "wb") as f:
    pickle.dump({"w": [1, 2]}, f, protocol=2)
with zipfile.ZipFile(path("zip.zip"), "w") as z:
    z.writestr("readme.txt", "not weights")
with open(path("hdf5.h5"), "wb") as f:
    f.write(b"\x89HDF\r\n\x1a\n" + bytes(32))
with open(path("onnx.onnx"), "wb") as f:  # ModelProto: field 1 ir_version = 7, field 2 producer_name
    f.write(b"\x08\x07\x12\x07pytorch")
