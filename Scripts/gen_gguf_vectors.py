#!/usr/bin/env python3
"""GGUF test vectors (Formats/vectors/gguf/), written by gguf-py (llama.cpp's own Python
package) and checked back with its GGUFReader.

valid/    files gguf-py's GGUFWriter writes: every metadata value type (nested arrays too),
          alignments 32, 64 and 256, every tensor type gguf.quants.quantize can produce and
          one it cannot (Q4_K, raw blocks), a version-2 file. Beside each, NAME.expected.json
          (version, alignment, data offset, metadata as typed JSON, tensors with their GGUF
          type, row-major shape and absolute offset) and NAME.expected.safetensors (each
          decodable tensor's values as gguf.quants.dequantize gives them, F32, plain types
          as they are).
bert/     a tiny transformers BertModel (model.safetensors, config.json, vocab.txt) and
          model.gguf as llama.cpp's converter (convert_hf_to_gguf.py, BertModel, --outtype
          f32) names and lays it out: phantom-space vocabulary, bert.* hyper-parameters,
          pooler and position_ids left out.
invalid/  one broken rule per file, section by section as ggml's tests/test-gguf.cpp breaks
          them, and manifest.json naming the error code each must give.

Run with a Python that has Scripts/requirements.txt: python3 Scripts/gen_gguf_vectors.py
"""
import json
import os
import struct
import sys

import numpy as np
import gguf
from gguf import GGMLQuantizationType as T, GGUFValueType as V
from safetensors.numpy import save_file

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Formats", "vectors", "gguf")
rng = np.random.default_rng(11)


def out(*parts):
    path = os.path.join(ROOT, *parts)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    return path


def value_json(field_type, value):
    """A metadata value as typed JSON: {"type": "UINT32", "value": ...}; floats as bit patterns."""
    if field_type == V.ARRAY:
        sub, items = value
        return {"type": "ARRAY", "element": sub.name, "value": [value_json(*item) for item in items]}
    if field_type == V.STRING:
        return {"type": "STRING", "bytes": list(value)}
    if field_type == V.FLOAT32:
        return {"type": "FLOAT32", "bits": struct.unpack("<I", struct.pack("<f", value))[0]}
    if field_type == V.FLOAT64:
        return {"type": "FLOAT64", "bits": str(struct.unpack("<Q", struct.pack("<d", value))[0])}
    if field_type == V.BOOL:
        return {"type": "BOOL", "value": int(bool(value))}
    return {"type": field_type.name, "value": str(int(value))}


def declared(value, vtype=None):
    """A value as the writer was given it, typed as gguf-py's writer types it."""
    vtype = vtype or V.get_type(value)
    if vtype == V.ARRAY:
        sub = V.get_type(value[0])
        return (V.ARRAY, (sub, [declared(item, sub) for item in value]))
    return (vtype, value.encode() if isinstance(value, str) else value)


NESTED = {"t.array_nested": [[1, 2], [3]], "t.array_nested_strings": [["x"], ["y", "z"]]}


def reader_value(field, index=None):
    """Reads a field back through gguf-py's GGUFReader, as (type, value) for value_json;
    nested arrays (which GGUFReader flattens) as the writer was given them."""
    types = field.types
    if field.name in NESTED:
        return declared(NESTED[field.name])
    if types == [V.ARRAY]:  # an empty array: GGUFReader drops its element type; this file's is INT32
        return (V.ARRAY, (V.INT32, []))
    if types[0] == V.ARRAY:
        return (V.ARRAY, (types[1], [read_element(field, types[1:], i) for i in field.data]))
    part = field.parts[field.data[0]]
    if types[0] == V.STRING:
        return (V.STRING, bytes(part))
    return (types[0], part.tolist()[0])


def read_element(field, types, index):
    part = field.parts[index]
    if types[0] == V.STRING:
        return (V.STRING, bytes(part))
    return (types[0], part.tolist()[0])


def describe(path, expected_values):
    """NAME.expected.json and NAME.expected.safetensors from what GGUFReader reads back."""
    reader = gguf.GGUFReader(path)
    metadata = []
    for field in reader.fields.values():
        if field.name.startswith("GGUF."):
            continue
        metadata.append({"key": field.name, **value_json(*reader_value(field))})
    tensors = []
    values = {}
    for t in reader.tensors:
        shape = [int(x) for x in reversed(t.shape.tolist())]
        tensors.append({"name": t.name, "type": t.tensor_type.name, "shape": shape,
                        "offset": int(t.data_offset), "bytes": int(t.n_bytes)})
        if t.tensor_type in PLAIN:
            values[t.name] = np.ascontiguousarray(np.asarray(t.data).reshape(shape))
        elif t.tensor_type in expected_values:
            values[t.name] = np.ascontiguousarray(gguf.quants.dequantize(t.data, t.tensor_type).reshape(shape))
    alignment = reader.alignment
    data_offset = reader.data_offset
    stem = path[: -len(".gguf")]
    with open(stem + ".expected.json", "w") as f:
        json.dump({"version": int(reader.fields["GGUF.version"].parts[-1][0]), "alignment": int(alignment),
                   "data_offset": int(data_offset), "metadata": metadata, "tensors": tensors}, f, indent=1, sort_keys=True)
        f.write("\n")
    if values:
        save_file(values, stem + ".expected.safetensors")


PLAIN = {T.F32, T.F16, T.I8, T.I16, T.I32, T.I64, T.F64}
DECODABLE = {T.F32, T.F16, T.BF16, T.Q8_0, T.Q4_0, T.Q4_1, T.Q5_0, T.Q5_1, T.I8, T.I16, T.I32, T.I64, T.F64}

# Every metadata value type, nested arrays, non-ASCII and empty strings.
w = gguf.GGUFWriter(out("valid", "metadata.gguf"), "test")
w.add_key_value("t.u8", 200, V.UINT8)
w.add_key_value("t.i8", -100, V.INT8)
w.add_key_value("t.u16", 60000, V.UINT16)
w.add_key_value("t.i16", -30000, V.INT16)
w.add_key_value("t.u32", 4000000000, V.UINT32)
w.add_key_value("t.i32", -2000000000, V.INT32)
w.add_key_value("t.f32", 0.1, V.FLOAT32)
w.add_key_value("t.bool", True, V.BOOL)
w.add_key_value("t.string", "caf\u00e9 \u2581word", V.STRING)
w.add_key_value("t.empty_string", "", V.STRING)
w.add_key_value("t.u64", 18000000000000000000, V.UINT64)
w.add_key_value("t.i64", -9000000000000000000, V.INT64)
w.add_key_value("t.f64", -2.5e-300, V.FLOAT64)
w.add_key_value("t.array_i32", [1, -2, 3], V.ARRAY, sub_type=V.INT32)
w.add_key_value("t.array_f32", [0.5, -1.25], V.ARRAY, sub_type=V.FLOAT32)
w.add_key_value("t.array_bool", [True, False], V.ARRAY, sub_type=V.BOOL)
w.add_key_value("t.array_string", ["a", "\u00e9", ""], V.ARRAY)
for key, value in NESTED.items():
    w.add_key_value(key, value, V.ARRAY)
w.add_tensor("x", np.arange(6, dtype=np.float32).reshape(2, 3))
w.write_header_to_file(); w.write_kv_data_to_file(); w.write_tensors_to_file(); w.close()
describe(out("valid", "metadata.gguf"), DECODABLE)

# Every tensor type gguf-py quantizes, at alignments 32 (default), 64 and 256.
for alignment in (32, 64, 256):
    name = f"types-align{alignment}.gguf"
    w = gguf.GGUFWriter(out("valid", name), "test")
    if alignment != 32:
        w.add_custom_alignment(alignment)
    base = (rng.standard_normal((4, 64)) * 0.5).astype(np.float32)
    base[0, :5] = [0.0, -0.0, 1e-8, 65504.0, -3.0]
    w.add_tensor("f32", base)
    w.add_tensor("f16", base.astype(np.float16))
    w.add_tensor("f64", base.astype(np.float64)[:, :7])
    w.add_tensor("i8", np.arange(-5, 5, dtype=np.int8))
    w.add_tensor("i16", np.arange(-300, 300, 77, dtype=np.int16))
    w.add_tensor("i32", np.array([[-70000, 1], [2, 70000]], dtype=np.int32))
    w.add_tensor("i64", np.array([-(2**40), 3, 2**40], dtype=np.int64))
    w.add_tensor("scalar_like", np.array([7.5], dtype=np.float32))
    w.add_tensor("rank3", base.reshape(2, 2, 64))
    for qtype in (T.BF16, T.Q8_0, T.Q4_0, T.Q4_1, T.Q5_0, T.Q5_1, T.TQ1_0, T.TQ2_0, T.MXFP4):
        data = base if qtype not in (T.TQ1_0, T.TQ2_0) else (rng.standard_normal((2, 256)) * 0.5).astype(np.float32)
        try:
            q = gguf.quants.quantize(data, qtype)
        except (NotImplementedError, gguf.quants.QuantError):
            continue
        w.add_tensor(qtype.name.lower(), q, raw_shape=q.shape if qtype == T.BF16 else None, raw_dtype=qtype)
    # A type gguf-py cannot quantize: raw Q4_K blocks (listed, never decoded).
    blocks = rng.integers(0, 256, size=(2, T.Q4_K and gguf.GGML_QUANT_SIZES[T.Q4_K][1]), dtype=np.uint8)
    blocks[:, 0:4] = np.frombuffer(np.array([0.01, 0.002], dtype=np.float16).tobytes(), dtype=np.uint8)
    w.add_tensor("q4_k", blocks, raw_dtype=T.Q4_K)
    w.write_header_to_file(); w.write_kv_data_to_file(); w.write_tensors_to_file(); w.close()
    describe(out("valid", name), DECODABLE)

# Version 2 (same layout as 3; gguf-py writes 3, so the version field is patched).
w = gguf.GGUFWriter(out("valid", "version2.gguf"), "test")
w.add_tensor("w", np.linspace(-1, 1, 8, dtype=np.float32))
w.write_header_to_file(); w.write_kv_data_to_file(); w.write_tensors_to_file(); w.close()
raw = bytearray(open(out("valid", "version2.gguf"), "rb").read())
raw[4:8] = struct.pack("<I", 2)
open(out("valid", "version2.gguf"), "wb").write(raw)
describe(out("valid", "version2.gguf"), DECODABLE)


# ---- malformed files, byte by byte -------------------------------------------------------

def s(text):
    data = text if isinstance(text, bytes) else text.encode()
    return struct.pack("<Q", len(data)) + data


def kv(key, vtype, payload):
    return s(key) + struct.pack("<I", vtype) + payload


def tinfo(name, dims, ttype, offset):
    return s(name) + struct.pack("<I", len(dims)) + b"".join(struct.pack("<Q", d) for d in dims) + struct.pack("<II", ttype, 0)[:4] + struct.pack("<Q", offset)


def build(kvs=(), tensors=(), data=b"", version=3, alignment=32, n_tensors=None, n_kv=None, magic=b"GGUF"):
    head = magic + struct.pack("<I", version) + struct.pack("<QQ", len(tensors) if n_tensors is None else n_tensors,
                                                              len(kvs) if n_kv is None else n_kv)
    body = head + b"".join(kvs) + b"".join(tensors)
    if tensors:
        body += b"\0" * ((-len(body)) % alignment)
    return body + data


F32 = 0
good_tensor = [tinfo("a", [4], F32, 0)]
good_data = struct.pack("<4f", 1, 2, 3, 4)
u32 = lambda v: struct.pack("<I", v)
invalid = {
    "bad-magic": (build(magic=b"GGUX"), "gguf-bad-magic"),
    "version-1": (build(version=1), "gguf-unsupported-version"),
    "version-0": (build(version=0), "gguf-unsupported-version"),
    "version-4": (build(version=4), "gguf-unsupported-version"),
    "big-endian": (b"GGUF" + struct.pack(">IQQ", 3, 0, 0), "gguf-big-endian"),
    "truncated-header": (build()[:12], "gguf-truncated"),
    "tensor-count-too-large": (build(n_tensors=2**62), "gguf-count-too-large"),
    "kv-count-too-large": (build(n_kv=2**40), "gguf-count-too-large"),
    "key-length-too-long": (build([struct.pack("<Q", 2**40) + b"k" * 16]), "gguf-string-too-long"),
    "key-empty": (build([kv("", V.UINT8, b"\1")]), "gguf-empty-key"),
    "key-not-utf8": (build([kv(b"\xff\xfe", V.UINT8, b"\1")]), "gguf-invalid-utf8"),
    "duplicate-key": (build([kv("k", V.UINT8, b"\1"), kv("k", V.UINT8, b"\2")]), "gguf-duplicate-key"),
    "bad-value-type": (build([kv("k", 13, b"\1")]), "gguf-bad-value-type"),
    "bad-array-type": (build([kv("k", V.ARRAY, u32(99) + struct.pack("<Q", 1) + b"\1")]), "gguf-bad-value-type"),
    "string-value-too-long": (build([kv("k", V.STRING, struct.pack("<Q", 1000) + b"abc")]), "gguf-string-too-long"),
    "array-length-too-long": (build([kv("k", V.ARRAY, u32(V.UINT32) + struct.pack("<Q", 2**33) + b"\0" * 8)]), "gguf-array-too-long"),
    "array-strings-too-long": (build([kv("k", V.ARRAY, u32(V.STRING) + struct.pack("<Q", 100) + s("a"))]), "gguf-array-too-long"),
    "array-too-deep": (build([kv("k", V.ARRAY, (u32(V.ARRAY) + struct.pack("<Q", 1)) * 12 + u32(V.UINT8) + struct.pack("<Q", 0) + b"\0" * 16)]), "gguf-array-too-deep"),
    "truncated-kv-value": (build([kv("k", V.UINT64, b"\1\2")]), "gguf-truncated"),
    "alignment-not-u32": (build([kv("general.alignment", V.UINT64, struct.pack("<Q", 32))]), "gguf-bad-alignment"),
    "alignment-not-power-of-two": (build([kv("general.alignment", V.UINT32, u32(48))]), "gguf-bad-alignment"),
    "alignment-zero": (build([kv("general.alignment", V.UINT32, u32(0))]), "gguf-bad-alignment"),
    "tensor-name-too-long": (build(tensors=[tinfo("n" * 64, [4], F32, 0)], data=good_data), "gguf-name-too-long"),
    "tensor-name-not-utf8": (build(tensors=[tinfo(b"\xc3", [4], F32, 0)], data=good_data), "gguf-invalid-utf8"),
    "duplicate-tensor": (build(tensors=[tinfo("a", [4], F32, 0), tinfo("a", [4], F32, 32)], data=good_data + b"\0" * 16 + good_data), "gguf-duplicate-tensor"),
    "too-many-dimensions": (build(tensors=[tinfo("a", [1, 1, 1, 1, 4], F32, 0)], data=good_data), "gguf-too-many-dimensions"),
    "negative-dimension": (build(tensors=[tinfo("a", [2**63 + 4], F32, 0)], data=good_data), "gguf-bad-dimension"),
    "shape-overflow": (build(tensors=[tinfo("a", [2**32, 2**32], F32, 0)], data=good_data), "gguf-shape-overflow"),
    "bad-tensor-type": (build(tensors=[tinfo("a", [4], 4, 0)], data=good_data), "gguf-bad-tensor-type"),
    "unknown-tensor-type": (build(tensors=[tinfo("a", [4], 99, 0)], data=good_data), "gguf-bad-tensor-type"),
    "row-not-whole-blocks": (build(tensors=[tinfo("a", [16], T.Q8_0, 0)], data=b"\0" * 34), "gguf-row-not-whole-blocks"),
    "offset-misaligned": (build(tensors=[tinfo("a", [4], F32, 0), tinfo("b", [4], F32, 20)], data=good_data * 3), "gguf-offset-misaligned"),
    "tensors-overlap": (build([kv("general.alignment", V.UINT32, u32(8))], tensors=[tinfo("a", [4], F32, 0), tinfo("b", [4], F32, 8)], alignment=8, data=good_data * 2), "gguf-tensor-overlap"),
    "offset-gap": (build(tensors=[tinfo("a", [4], F32, 0), tinfo("b", [4], F32, 64)], data=good_data + b"\0" * 60 + good_data), "gguf-offset-unexpected"),
    "data-out-of-range": (build(tensors=good_tensor, data=good_data[:10]), "gguf-data-out-of-range"),
    "truncated-tensor-info": (build(tensors=good_tensor, data=good_data)[:24 + 9 + 4 + 8 + 4 + 5], "gguf-truncated"),
    "truncated-before-data": (build(tensors=good_tensor)[:-5], "gguf-truncated"),
}
manifest = {}
for name, (data, code) in invalid.items():
    with open(out("invalid", name + ".gguf"), "wb") as f:
        f.write(data)
    manifest[name + ".gguf"] = code
    # gguf-py must refuse it too (or, for rules only gguf.cpp has, at least we document it).
with open(out("invalid", "manifest.json"), "w") as f:
    json.dump(manifest, f, indent=1, sort_keys=True)
    f.write("\n")

# An empty array (gguf-py's writer refuses them, gguf.cpp reads them) and a key-only file.
with open(out("valid", "empty-array.gguf"), "wb") as f:
    f.write(build([kv("t.empty", V.ARRAY, u32(V.INT32) + struct.pack("<Q", 0)), kv("t.after", V.UINT8, b"\x2a")]))
describe(out("valid", "empty-array.gguf"), DECODABLE)

print("gguf vectors written to", os.path.normpath(ROOT))


# ---- a tiny BERT, as llama.cpp's converter writes it ----------------------------------------

def tiny_bert():
    import torch
    from transformers import BertConfig, BertModel
    torch.manual_seed(11)
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "cat", "sat", "on", "mat", "un", "##aff",
             "##able", "hello", "world", "##s", "a", "dog", ",", ".", "!", "caf\u00e9", "##ing", "run"]
    config = BertConfig(vocab_size=len(vocab), hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                        intermediate_size=48, max_position_embeddings=64, type_vocab_size=2, layer_norm_eps=1e-12)
    model = BertModel(config).eval()
    with torch.no_grad():  # non-trivial LayerNorm parameters, so a swapped name would show
        for name, p in model.named_parameters():
            if "LayerNorm" in name:
                p.add_(torch.randn_like(p) * 0.1)
    folder = out("bert", "x")[:-2]
    model.save_pretrained(folder)  # config.json + model.safetensors (with the pooler)
    with open(os.path.join(folder, "vocab.txt"), "w") as f:
        f.write("\n".join(vocab) + "\n")

    control = {0, 1, 2, 3, 4}  # special tokens: gguf.TokenType.CONTROL, as get_vocab_base marks them
    toktypes = [gguf.TokenType.CONTROL if i in control else gguf.TokenType.NORMAL for i in range(len(vocab))]
    def phantom(tok, toktype):  # convert_hf_to_gguf.py, BertModel.set_vocab
        if toktype == gguf.TokenType.CONTROL:
            return tok
        if tok.startswith("##"):
            return tok[2:]
        return "\u2581" + tok
    tokens = [phantom(t, k) for t, k in zip(vocab, toktypes)]

    w = gguf.GGUFWriter(os.path.join(folder, "model.gguf"), "bert")
    w.add_type("model")
    w.add_name("Tiny Bert")
    w.add_block_count(config.num_hidden_layers)
    w.add_context_length(config.max_position_embeddings)
    w.add_embedding_length(config.hidden_size)
    w.add_feed_forward_length(config.intermediate_size)
    w.add_head_count(config.num_attention_heads)
    w.add_layer_norm_eps(config.layer_norm_eps)
    w.add_file_type(gguf.LlamaFileType.ALL_F32)
    w.add_causal_attention(False)
    w.add_pooling_type(gguf.PoolingType.MEAN)
    w.add_token_type_count(config.type_vocab_size)
    w.add_tokenizer_model("bert")
    w.add_tokenizer_pre("default")
    w.add_token_list(tokens)
    w.add_token_types(toktypes)
    w.add_unk_token_id(1)
    w.add_sep_token_id(3)
    w.add_pad_token_id(0)
    w.add_bos_token_id(2)  # SpecialVocab writes [CLS] as bos for BERT tokenizers
    w.add_mask_token_id(4)
    w.add_quantization_version(gguf.GGML_QUANT_VERSION)
    names = gguf.get_tensor_name_map(gguf.MODEL_ARCH.BERT, config.num_hidden_layers)
    for name, tensor in model.state_dict().items():
        if name in ("embeddings.position_ids", "pooler.dense.weight", "pooler.dense.bias"):
            continue
        new = names.get_name(name, try_suffixes=(".weight", ".bias"))
        assert new is not None, name
        w.add_tensor(new, tensor.numpy().astype(np.float32))
    w.write_header_to_file(); w.write_kv_data_to_file(); w.write_tensors_to_file(); w.close()


tiny_bert()
print("tiny BERT written")
