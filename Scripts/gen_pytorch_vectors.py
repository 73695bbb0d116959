#!/usr/bin/env python3
"""PyTorch checkpoint vectors (Formats/vectors/pytorch/), read by PyTorch*Tests.

valid/NAME.{pt,bin}: written by torch.save itself (zip layout, and the legacy layout with
  _use_new_zipfile_serialization=False), each beside NAME.expected.safetensors, written by
  safetensors.torch.save_file({k: v.contiguous().clone()}) of what torch.load returns, so a
  reader's tensors can be compared byte for byte.
sharded/: pytorch_model-0000N-of-00002.bin with pytorch_model.bin.index.json;
  sharded.expected.safetensors beside the folder.
bert/: a tiny BertModel's state dict as pytorch_model.bin with its config.json and the
  last_hidden_state transformers computes for the ids in expected.json.
hostile/: files a reader must refuse, listed in manifest.json with the expected error code.
  Their pickles are assembled here opcode by opcode (see `Pickle`); none is ever loaded
  with torch (only the assembler's own valid output is, with weights_only=True, as a check).
"""
import io, json, os, struct, zipfile
import torch
from safetensors.torch import save_file

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Formats", "vectors", "pytorch")
for folder in ["valid", "sharded", "bert", "hostile"]:
    os.makedirs(os.path.join(root, folder), exist_ok=True)
path = lambda *parts: os.path.join(root, *parts)
torch.manual_seed(9)


def expected(tensors, file):
    save_file({k: v.contiguous().clone() for k, v in tensors.items()}, file)


def valid(name, tensors, **save):
    torch.save(tensors, path("valid", name), **save)
    loaded = torch.load(path("valid", name), weights_only=False)  # written just above by torch.save
    expected(loaded, path("valid", name.rsplit(".", 1)[0] + ".expected.safetensors"))


# Every dtype a state dict can hold, with edge values where the type has them.
dtypes = {
    "bool": torch.tensor([True, False, True]),
    "uint8": torch.tensor([0, 1, 255], dtype=torch.uint8),
    "int8": torch.tensor([-128, 0, 127], dtype=torch.int8),
    "int16": torch.tensor([-32768, 1, 32767], dtype=torch.int16),
    "int32": torch.tensor([-2**31, 2, 2**31 - 1], dtype=torch.int32),
    "int64": torch.tensor([-2**63, 3, 2**63 - 1], dtype=torch.int64),
    "float16": torch.tensor([-0.0, 65504.0, float("inf"), 6e-8], dtype=torch.float16),
    "bfloat16": torch.tensor([-0.0, 3.0e38, float("-inf"), 1.5], dtype=torch.bfloat16),
    "float32": torch.tensor([[float("nan"), -0.0, 1e-45], [3.4e38, 1.0, -2.5]], dtype=torch.float32),
    "float64": torch.tensor([5e-324, -1.0, 1.7e308], dtype=torch.float64),
    "complex64": torch.tensor([1 + 2j, -3.5 - 0.25j], dtype=torch.complex64),
    "scalar": torch.tensor(7.5),
    "empty": torch.zeros(0, 3),
}
valid("dtypes.pt", dtypes)

base = torch.arange(60, dtype=torch.float32).reshape(3, 4, 5)
matrix = torch.arange(24, dtype=torch.int16).reshape(4, 6)
views = {
    "transposed": matrix.t(),
    "sliced_step": matrix[:, ::2],
    "row_offset": matrix[2:],
    "column": matrix[:, 3],
    "narrow_middle": base[1, 1:3, 2:4],
    "permuted": base.permute(2, 0, 1),
    "expanded": torch.arange(4, dtype=torch.float64).reshape(4, 1).expand(4, 3),
    "element": base[2, 3, 4],
    "half_transposed": torch.randn(3, 2).half().t(),
}
valid("views.pt", views)
valid("views-protocol4.pt", views, pickle_protocol=4)
valid("views-protocol5.pt", views, pickle_protocol=5)

tied = torch.randn(5, 4)
shared_base = torch.randn(2, 8, dtype=torch.bfloat16)
shared = {"embed.weight": tied, "lm_head.weight": tied, "first_row": shared_base[0], "second_row": shared_base[1], "whole": shared_base}
valid("shared.pt", shared)

module = torch.nn.Sequential(torch.nn.Embedding(7, 4), torch.nn.Linear(4, 3), torch.nn.LayerNorm(3), torch.nn.BatchNorm1d(3))
valid("module-state-dict.pt", module.state_dict())  # OrderedDict with _metadata, num_batches_tracked
valid("parameters.pt", {name: torch.nn.Parameter(p.detach().clone()) for name, p in module.named_parameters()})

legacy = {**dtypes, **views, **shared}
valid("legacy.bin", legacy, _use_new_zipfile_serialization=False)
valid("legacy-module.bin", module.state_dict(), _use_new_zipfile_serialization=False)
# pickle_protocol=4 frames each legacy pickle (FRAME before the magic number); torch.load reads it
# only with weights_only=False, which runs nothing here: the file was written just above.
valid("legacy-protocol4.bin", views, _use_new_zipfile_serialization=False, pickle_protocol=4)

# A sharded checkpoint, as transformers wrote them before safetensors.
first = {"a.weight": torch.randn(3, 4), "a.bias": torch.randn(3)}
second = {"b.weight": torch.randn(2, 3).t(), "b.bias": torch.tensor([1, 2], dtype=torch.int64)}
names = ["pytorch_model-00001-of-00002.bin", "pytorch_model-00002-of-00002.bin"]
torch.save(first, path("sharded", names[0]))
torch.save(second, path("sharded", names[1]))
total = sum(t.numel() * t.element_size() for t in {**first, **second}.values())
index = {"metadata": {"total_size": total}, "weight_map": {**{k: names[0] for k in first}, **{k: names[1] for k in second}}}
with open(path("sharded", "pytorch_model.bin.index.json"), "w") as f:
    json.dump(index, f, indent=2)
expected({**first, **second}, path("sharded.expected.safetensors"))

# A tiny BERT, as a published pytorch_model.bin folder, with transformers' outputs.
from transformers import BertConfig, BertModel
config = BertConfig(vocab_size=64, hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=64,
                    max_position_embeddings=32)
bert = BertModel(config).eval()
config.to_json_file(path("bert", "config.json"))
torch.save(bert.state_dict(), path("bert", "pytorch_model.bin"))
ids = [2, 17, 42, 5, 3]
with torch.no_grad():
    hidden = bert(torch.tensor([ids])).last_hidden_state
with open(path("bert", "expected.json"), "w") as f:
    json.dump({"ids": ids, "last_hidden_state": [round(x, 7) for x in hidden.flatten().tolist()], "shape": list(hidden.shape)}, f)


class Pickle:
    """Assembles protocol-2 pickles opcode by opcode, shaped like torch.save's data.pkl."""

    def __init__(self):
        self.out = bytearray(b"\x80\x02")

    def op(self, raw):
        self.out += raw
        return self

    def string(self, text):
        data = text.encode()
        return self.op(b"X" + struct.pack("<I", len(data)) + data)

    def int(self, value):
        return self.op(b"J" + struct.pack("<i", value)) if -2**31 <= value < 2**31 else \
            self.op(b"\x8a\x08" + struct.pack("<q", value))

    def glob(self, module, name):
        return self.op(b"c" + module.encode() + b"\n" + name.encode() + b"\n")

    def ints(self, values):
        self.op(b"(")
        for value in values:
            self.int(value)
        return self.op(b"t")

    def empty_ordered_dict(self):
        return self.glob("collections", "OrderedDict").op(b")R")

    def tensor(self, key, numel, offset, sizes, strides, storage="FloatStorage", pid=None, hooks=None, metadata=None):
        self.glob("torch._utils", "_rebuild_tensor_v2").op(b"(")
        if pid is None:
            self.op(b"(").string("storage").glob("torch", storage).string(key).string("cpu").int(numel).op(b"t")
        else:
            pid(self)
        self.op(b"Q").int(offset).ints(sizes).ints(strides).op(b"\x89")
        (hooks or Pickle.empty_ordered_dict)(self)
        if metadata:
            metadata(self)
        return self.op(b"tR")

    def state_dict(self, entries):
        self.empty_ordered_dict().op(b"(")
        for name, write in entries:
            self.string(name)
            write(self)
        return self.op(b"u.")


def torch_zip(file, pickle_bytes, storages, archive="archive", byteorder="little", compress=None):
    with zipfile.ZipFile(file, "w", zipfile.ZIP_STORED) as z:
        z.writestr(archive + "/data.pkl", bytes(pickle_bytes.out if isinstance(pickle_bytes, Pickle) else pickle_bytes))
        if byteorder is not None:
            z.writestr(archive + "/byteorder", byteorder)
        for key, data in storages.items():
            z.writestr(archive + "/data/" + key, data, compress_type=compress if compress is not None else zipfile.ZIP_STORED)
        z.writestr(archive + "/version", "3\n")


floats6 = struct.pack("<6f", *range(6))
good = lambda key="0", numel=6, offset=0, sizes=(2, 3), strides=(3, 1), **kw: \
    (lambda p: p.tensor(key, numel, offset, sizes, strides, **kw))

# The assembler's own valid output must load in torch (weights_only=True runs no code).
torch_zip(path("valid", "assembled.pt"), Pickle().state_dict([("w", good()), ("w_t", good(sizes=(3, 2), strides=(1, 3)))]), {"0": floats6})
check = torch.load(path("valid", "assembled.pt"), weights_only=True)
assert torch.equal(check["w_t"], torch.arange(6.0).reshape(2, 3).t())
expected(check, path("valid", "assembled.expected.safetensors"))

def zip64_archive(file, members):
    """A stored zip whose central directory gives every member's sizes and local-header offset
    as 0xFFFFFFFF with the real values in a zip64 extra field, and zip64 end records, as
    torch.save writes members over 4 GB (too big for a fixture)."""
    import zlib
    out, central = bytearray(), bytearray()
    for name, data in members:
        raw = name.encode()
        offset, crc = len(out), zlib.crc32(data)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 45, 0, 0, 0, 0x21, crc, len(data), len(data), len(raw), 0) + raw + data
        extra = struct.pack("<HHQQQ", 1, 24, len(data), len(data), offset)
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 45, 45, 0, 0, 0, 0x21, crc, 0xFFFFFFFF, 0xFFFFFFFF,
                               len(raw), len(extra), 0, 0, 0, 0, 0xFFFFFFFF) + raw + extra
    start, count = len(out), len(members)
    out += central
    end64 = len(out)
    out += struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, count, count, len(central), start)
    out += struct.pack("<IIQI", 0x07064B50, 0, end64, 1)
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    with open(file, "wb") as f:
        f.write(out)


zip64_archive(path("valid", "zip64-fields.pt"), [("big/data.pkl", bytes(Pickle().state_dict([("w", good(sizes=(3, 2), strides=(1, 3)))]).out)),
                                                 ("big/byteorder", b"little"), ("big/version", b"3\n"), ("big/data/0", floats6)])
check = torch.load(path("valid", "zip64-fields.pt"), weights_only=True)
expected(check, path("valid", "zip64-fields.expected.safetensors"))

hostile = {}


def refuse(name, code, pickle_bytes=None, storages=None, raw=None, **zip_options):
    if raw is not None:
        with open(path("hostile", name), "wb") as f:
            f.write(raw)
    else:
        torch_zip(path("hostile", name), pickle_bytes, {"0": floats6} if storages is None else storages, **zip_options)
    hostile[name] = code


refuse("os-system.pt", "pickle-forbidden-global", Pickle().glob("os", "system").string("echo pwned").op(b"\x85R."))
refuse("builtins-eval.pt", "pickle-forbidden-global", Pickle().glob("builtins", "eval").string("1+1").op(b"\x85R."))
refuse("unknown-global.pt", "pickle-forbidden-global",
       Pickle().empty_ordered_dict().op(b"(").string("net").glob("torch.nn.modules.linear", "Linear").op(b")Ru."))
refuse("stack-global-exec.pt", "pickle-forbidden-global", Pickle().op(b"\x8c\x08builtins\x8c\x04exec\x93").string("x").op(b"\x85R."))
refuse("call-storage-class.pt", "pickle-forbidden-call", Pickle().glob("torch", "FloatStorage").op(b")R."))
refuse("build-on-tensor.pt", "pickle-forbidden-build",
       Pickle().empty_ordered_dict().op(b"(").string("w").op(bytes(Pickle().tensor("0", 6, 0, (6,), (1,)).out[2:]))
       .op(b"}b").op(b"u."))
refuse("newobj.pt", "pickle-unsupported-opcode", Pickle().glob("collections", "OrderedDict").op(b")\x81."))
refuse("unknown-opcode.pt", "pickle-unsupported-opcode", Pickle().op(b"\xff."))
refuse("memo-get-unset.pt", "pickle-bad-memo", Pickle().op(b"h\x63."))
refuse("stack-underflow.pt", "pickle-malformed", Pickle().op(b"R."))
refuse("deep-tuples.pt", "pickle-limit", Pickle().op(b")" + b"\x85" * 100 + b"."))
whole = bytes(Pickle().state_dict([("w", good())]).out)
refuse("truncated-pickle.pt", "pickle-truncated", whole[: len(whole) // 2])
refuse("trailing-after-stop.pt", "pytorch-trailing-bytes", whole + b"N.")
refuse("persistent-id-module.pt", "pytorch-bad-persistent-id", Pickle().state_dict([("w", good(
    pid=lambda p: p.op(b"(").string("module").glob("torch", "FloatStorage").string("0").string("cpu").int(6).op(b"t")))]))
refuse("persistent-id-short.pt", "pytorch-bad-persistent-id", Pickle().state_dict([("w", good(
    pid=lambda p: p.op(b"(").string("storage").glob("torch", "FloatStorage").string("0").string("cpu").op(b"t")))]))
refuse("persistent-id-not-tuple.pt", "pytorch-bad-persistent-id", Pickle().state_dict([("w", good(pid=lambda p: p.string("0")))]))
refuse("missing-storage.pt", "pytorch-missing-storage", Pickle().state_dict([("w", good(key="7"))]))
refuse("storage-too-short.pt", "pytorch-storage-size", Pickle().state_dict([("w", good())]), storages={"0": floats6[:20]})
refuse("offset-beyond-storage.pt", "pytorch-view-out-of-range", Pickle().state_dict([("w", good(offset=5))]))
refuse("size-beyond-storage.pt", "pytorch-view-out-of-range", Pickle().state_dict([("w", good(sizes=(3, 3)))]))
refuse("stride-overflow.pt", "pytorch-view-out-of-range", Pickle().state_dict([("w", good(sizes=(2, 3), strides=(2**62, 1)))]))
refuse("negative-stride.pt", "pytorch-view-out-of-range", Pickle().state_dict([("w", good(sizes=(2,), strides=(-1,), offset=1))]))
# Stride 0 (as `expand` saves) lets a view hold more elements than its storage: 2^61 floats
# is a byte count past 2^63, which must be refused, not wrap.
refuse("expanded-bytes-overflow.pt", "pytorch-view-out-of-range", Pickle().state_dict([("w", good(sizes=(2**61,), strides=(0,)))]))
refuse("storage-bytes-overflow.pt", "pytorch-bad-persistent-id", Pickle().state_dict([("w", good(numel=2**61, storage="DoubleStorage"))]))
refuse("compressed-member.pt", "zip-compressed-member", Pickle().state_dict([("w", good())]), compress=zipfile.ZIP_DEFLATED)
refuse("big-endian.pt", "pytorch-big-endian", Pickle().state_dict([("w", good())]), byteorder="big")
refuse("not-state-dict.pt", "pytorch-not-state-dict", Pickle().empty_ordered_dict().op(b"(").string("epoch").int(3).op(b"u."))
refuse("list-of-tensors.pt", "pytorch-not-state-dict", Pickle().op(b"]").op(bytes(Pickle().tensor("0", 6, 0, (6,), (1,)).out[2:])).op(b"a."))
refuse("duplicate-tensor.pt", "pytorch-duplicate-tensor", Pickle().state_dict([("w", good()), ("w", good())]))
refuse("unsupported-storage.pt", "pytorch-unsupported-dtype", Pickle().state_dict([("w", good(storage="ComplexDoubleStorage"))]))
refuse("conjugate-metadata.pt", "pickle-bad-arguments", Pickle().state_dict([("w", good(
    metadata=lambda p: p.op(b"}").string("conj").op(b"\x88s")))]))
refuse("backward-hooks.pt", "pickle-bad-arguments", Pickle().state_dict([("w", good(
    hooks=lambda p: p.op(b"}").int(1).int(2).op(b"s")))]))
refuse("forbidden-hook-global.pt", "pickle-forbidden-global", Pickle().state_dict([("w", good(
    hooks=lambda p: p.op(b"}").int(1).glob("builtins", "exec").op(b"s")))]))
saved = open(path("valid", "views.pt"), "rb").read()
refuse("truncated-zip.pt", "zip-malformed", raw=saved[: len(saved) - 300])
legacy_bytes = open(path("valid", "legacy-module.bin"), "rb").read()
refuse("legacy-truncated.bin", "pytorch-truncated", raw=legacy_bytes[:-10])
refuse("legacy-trailing.bin", "pytorch-trailing-bytes", raw=legacy_bytes + b"\0" * 8)
refuse("legacy-bad-version.bin", "pytorch-bad-legacy-header", raw=legacy_bytes.replace(b"M\xe9\x03", b"M\xea\x03", 1))
torch.save({"w": torch.zeros(2, dtype=torch.complex128)}, path("hostile", "complex128.pt"))
hostile["complex128.pt"] = "pytorch-unsupported-dtype"

with open(path("hostile", "manifest.json"), "w") as f:
    json.dump(dict(sorted(hostile.items())), f, indent=2)
    f.write("\n")
print(f"wrote {len(os.listdir(path('valid')))} valid files, {len(hostile)} hostile ones")
