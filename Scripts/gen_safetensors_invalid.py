"""Writes Formats/vectors/safetensors/invalid/: malformed safetensors files built byte by
byte with `struct` (not the safetensors library), each named `<error-code>--<variant>`
for the rule the Swift reader must report (see README "What the reader checks").

    python Scripts/gen_safetensors_invalid.py      (standard library only)
"""
import json
import os
import shutil
import struct

OUT = os.path.join(os.path.dirname(__file__), "..", "Formats", "vectors", "safetensors", "invalid")
rows = []


def raw(name, data, rule):
    with open(os.path.join(OUT, name + ".safetensors"), "wb") as f:
        f.write(data)
    rows.append((name, rule))


def header_file(name, header, data=b"", rule="", declared=None):
    """A file whose header is `header` (str/bytes/dict), length-prefixed, then `data`."""
    if isinstance(header, dict):
        header = json.dumps(header, separators=(",", ":"))
    if isinstance(header, str):
        header = header.encode("utf-8")
    length = len(header) if declared is None else declared
    raw(name, struct.pack("<Q", length) + header + data, rule)


def entry(dtype="F32", shape=(2,), offsets=(0, 8)):
    return {"dtype": dtype, "shape": list(shape), "data_offsets": list(offsets)}


shutil.rmtree(OUT, ignore_errors=True)
os.makedirs(OUT)

raw("file-too-small--empty", b"", "empty file")
raw("file-too-small--5-bytes", b"\x10\x00\x00\x00\x00", "shorter than the 8-byte length field")
header_file("header-too-large--2-pow-63", "{}", declared=1 << 63, rule="declared header length 2^63")
header_file("header-too-large--u64-max", "{}", declared=(1 << 64) - 1, rule="declared header length 2^64-1")
header_file("header-too-large--120MB", "{}", declared=120_000_000, rule="declared header of 120 MB, over the 100,000,000 cap")
header_file("header-exceeds-file--cut-in-header", '{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', declared=200,
            rule="header length 200 but the file ends inside the header")
header_file("invalid-utf8--bad-byte", b'{"w\xff":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', b"\0" * 4, "0xFF in a tensor name")
header_file("invalid-utf8--overlong", b'{"\xc0\xaf":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', b"\0" * 4, "overlong encoding of '/'")
header_file("invalid-json--garbage", "not json at all", rule="not JSON")
header_file("invalid-json--trailing-comma", '{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},}', b"\0" * 4, "trailing comma")
header_file("invalid-json--single-quotes", "{'w':{'dtype':'F32','shape':[1],'data_offsets':[0,4]}}", b"\0" * 4, "single quotes")
header_file("invalid-json--unterminated-string", '{"w":{"dtype":"F32', rule="string never closed")
header_file("invalid-json--nan-literal", '{"__metadata__":{"x":NaN}}', rule="NaN is not JSON")
header_file("invalid-json--two-objects", "{}{}", rule="a second value after the object")
header_file("invalid-json--empty-header", "", rule="header length 0")
header_file("header-not-object--array", "[1,2,3]", rule="top level is an array")
header_file("header-not-object--number", "12345678", rule="top level is a number")
header_file("header-not-object--string", '"string"', rule="top level is a string")
header_file("missing-field--dtype", {"w": {"shape": [1], "data_offsets": [0, 4]}}, b"\0" * 4, "entry without dtype")
header_file("missing-field--shape", {"w": {"dtype": "F32", "data_offsets": [0, 4]}}, b"\0" * 4, "entry without shape")
header_file("missing-field--data-offsets", {"w": {"dtype": "F32", "shape": [1]}}, b"\0" * 4, "entry without data_offsets")
header_file("invalid-field--dtype-number", {"w": {"dtype": 7, "shape": [1], "data_offsets": [0, 4]}}, b"\0" * 4, "dtype is a number")
header_file("invalid-field--shape-string", {"w": {"dtype": "F32", "shape": "1", "data_offsets": [0, 4]}}, b"\0" * 4, "shape is a string")
header_file("invalid-field--three-offsets", {"w": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4, 8]}}, b"\0" * 4, "three data_offsets")
header_file("invalid-field--offset-string", {"w": {"dtype": "F32", "shape": [1], "data_offsets": ["0", 4]}}, b"\0" * 4, "an offset is a string")
header_file("invalid-field--negative-offset", {"w": {"dtype": "F32", "shape": [1], "data_offsets": [-4, 0]}}, b"\0" * 4, "a negative offset")
header_file("invalid-field--entry-string", {"w": "F32"}, rule="tensor entry is a string")
header_file("unknown-dtype--f128", {"w": entry("F128", (1,), (0, 16))}, b"\0" * 16, "dtype F128 does not exist")
header_file("unknown-dtype--lowercase", {"w": entry("float32", (1,), (0, 4))}, b"\0" * 4, "dtype names are upper-case")
header_file("invalid-shape--negative", {"w": entry("F32", (-1, 2), (0, 8))}, b"\0" * 8, "negative dimension")
header_file("invalid-shape--fractional", '{"w":{"dtype":"F32","shape":[2.5],"data_offsets":[0,8]}}', b"\0" * 8, "fractional dimension")
header_file("shape-overflow--product", {"w": entry("F32", (1 << 32, 1 << 32, 2), (0, 0))}, rule="element count overflows 64 bits")
header_file("shape-overflow--bytes", {"w": entry("F64", (1 << 31, 1 << 31), (0, 0))}, rule="byte count overflows 64 bits")
header_file("misaligned-sub-byte--f4-odd", {"w": entry("F4", (3,), (0, 2))}, b"\0" * 2, "3 F4 values are 12 bits")
header_file("invalid-offsets--reversed", {"w": entry("F32", (2,), (8, 0))}, b"\0" * 8, "begin after end")
header_file("invalid-offsets--overlapping", {"a": entry("F32", (2,), (0, 8)), "b": entry("F32", (2,), (4, 12))}, b"\0" * 12, "b starts inside a")
header_file("invalid-offsets--hole-at-start", {"w": entry("F32", (4,), (4, 20))}, b"\0" * 20, "first tensor starts at 4")
header_file("invalid-offsets--gap", {"a": entry("F32", (2,), (0, 8)), "b": entry("F32", (2,), (12, 20))}, b"\0" * 20, "4 unused bytes between a and b")
header_file("invalid-offsets--duplicate-span", {"a": entry("F32", (2,), (0, 8)), "b": entry("F32", (2,), (0, 8))}, b"\0" * 8, "two tensors share bytes")
header_file("size-mismatch--too-short", {"w": entry("F32", (2, 2), (0, 12))}, b"\0" * 12, "F32 [2,2] needs 16 bytes, offsets span 12")
header_file("size-mismatch--out-of-range", {"a": entry("F32", (2,), (0, 8)), "b": entry("F32", (2,), (8, 1 << 63))}, b"\0" * 16,
            "b's end offset is 2^63, far past the file and its size")
header_file("invalid-metadata--number", {"__metadata__": {"format": 1}}, rule="metadata value is a number")
header_file("invalid-metadata--nested", {"__metadata__": {"format": {"a": "b"}}}, rule="metadata value is an object")
header_file("invalid-metadata--null-value", {"__metadata__": {"format": None}}, rule="metadata value is null")
header_file("invalid-metadata--array", {"__metadata__": ["format", "pt"]}, rule="metadata is an array")
header_file("truncated--download-cut-short", {"w": entry("F32", (100,), (0, 400))}, b"\1" * 100, "400 bytes declared, 100 present")
header_file("truncated--no-data", {"a": entry("F32", (2,), (0, 8)), "b": entry("F32", (2,), (8, 16))}, rule="data section missing")
header_file("trailing-bytes--extra-data", {"w": entry("F32", (2,), (0, 8))}, b"\0" * 12, "4 bytes after the last tensor")

# Further edges, each breaking one rule first in the reader's order (README.md, "What the reader checks").
header_file("header-exceeds-file--length-only", "", declared=2, rule="8-byte file declaring a 2-byte header")
header_file("invalid-utf8--surrogate", b'{"\xed\xa0\x80":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', b"\0" * 4,
            "UTF-8-encoded surrogate U+D800 in a name")
header_file("invalid-utf8--cut-sequence", b'{"\xe6\x9d":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', b"\0" * 4,
            "a 3-byte sequence cut after 2 bytes")
header_file("invalid-json--nul-padding", b"{}\0\0\0\0\0\0", rule="header padded with NUL bytes, which are not JSON whitespace")
header_file("invalid-json--byte-order-mark", "\ufeff{}", rule="UTF-8 byte order mark before the object")
header_file("header-not-object--null", "null", rule="top level is null")
header_file("invalid-metadata--string", {"__metadata__": "pt"}, rule="metadata is a string")
header_file("invalid-field--one-offset", {"w": {"dtype": "F32", "shape": [1], "data_offsets": [4]}}, b"\0" * 4, "one data_offset")
header_file("invalid-field--float-offset", '{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4.0]}}', b"\0" * 4,
            "an offset written as a float (4.0)")
header_file("unknown-dtype--empty", {"w": entry("", (1,), (0, 4))}, b"\0" * 4, "dtype is the empty string")
header_file("misaligned-sub-byte--f6-three", {"w": entry("F6_E2M3", (3,), (0, 3))}, b"\0" * 3, "3 F6 values are 18 bits")
header_file("invalid-offsets--far-begin", {"a": entry("F32", (2,), (0, 8)), "b": entry("F32", (2,), (1 << 62, (1 << 62) + 8))},
            b"\0" * 16, "b starts at 2^62, far past the end of a and of the file")
header_file("invalid-offsets--empty-inside", {"a": entry("F32", (2,), (0, 8)), "e": entry("F32", (0,), (4, 4)),
                                              "b": entry("F32", (2,), (8, 16))}, b"\0" * 16, "an empty tensor placed inside a")
header_file("size-mismatch--empty-with-bytes", {"w": entry("F32", (0,), (0, 4))}, b"\0" * 4, "F32 [0] holds no bytes, offsets span 4")
header_file("trailing-bytes--no-tensors", "{}", b"\0" * 4, "4 data bytes in a file with no tensors")

# JSON the strict reader rejects although json-c took it: escaped surrogates that do not
# form a pair (json-c made them U+FFFD; the reference refuses), and a key written twice
# (json-c kept the last; the reference refuses a repeated tensor name, for its offsets).
header_file("invalid-json--lone-surrogate", '{"\\ud800":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', b"\0" * 4,
            "escaped lone high surrogate \\ud800 in a name")
header_file("invalid-json--reversed-surrogates", '{"\\udc00\\ud800":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', b"\0" * 4,
            "escaped low surrogate before a high one")
header_file("invalid-json--duplicate-name", '{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},'
            '"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}', b"\0" * 8, "the tensor name w twice, each entry valid alone")
header_file("invalid-json--duplicate-metadata-key", '{"__metadata__":{"format":"pt","format":"np"}}', rule="the metadata key format twice (the reference keeps the last; a repeated key is refused here)")

with open(os.path.join(OUT, "README.md"), "w") as f:
    f.write("# Malformed safetensors files\n\nWritten by `Scripts/gen_safetensors_invalid.py` with `struct`. "
            "Each is named `<error-code>--<variant>.safetensors`; the reader must reject it with that code.\n\n"
            "| file | what is wrong |\n| --- | --- |\n")
    for name, rule in rows:
        f.write(f"| `{name}.safetensors` | {rule} |\n")
print(f"wrote {len(rows)} files to {OUT}")
