#!/usr/bin/env python3
"""Writes Formats/vectors/validate/: damaged copies of SampleModels/tiny-deberta, one folder
per kind of damage (config.json + model.safetensors), and manifest.json with the problems
`weights validate` must report for each: exactly these codes and tensor names, no others.

    PYTHONDONTWRITEBYTECODE=1 python3 Scripts/make_damaged_models.py

Needs numpy and safetensors. The outputs are committed, so `swift test` needs no Python.
"""
import json
import os
import shutil

import numpy as np
from safetensors.numpy import load_file, save_file

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLE = os.path.join(ROOT, "SampleModels", "tiny-deberta")
OUT = os.path.join(ROOT, "Formats", "vectors", "validate")

QUERY_1 = "encoder.layer.1.attention.self.query_proj.weight"
INTERMEDIATE_0 = "encoder.layer.0.intermediate.dense.weight"


def error(code, tensor):
    return {"code": code, "severity": "error", "tensor": tensor}


def warning(code, tensor):
    return {"code": code, "severity": "warning", "tensor": tensor}


def removed(tensors, config):
    del tensors["encoder.rel_embeddings.weight"]
    return [error("missing", "encoder.rel_embeddings.weight")]


def renamed(tensors, config):
    # A BERT-style name where DeBERTa has query_proj: one tensor missing, one unexpected.
    tensors[QUERY_1.replace("query_proj", "query")] = tensors.pop(QUERY_1)
    return [error("missing", QUERY_1), warning("unexpected", QUERY_1.replace("query_proj", "query"))]


def transposed(tensors, config):
    # [intermediate, hidden] = [64, 32] stored as [32, 64] (square matrices would not show it).
    tensors[INTERMEDIATE_0] = np.ascontiguousarray(tensors[INTERMEDIATE_0].T)
    return [error("shape", INTERMEDIATE_0)]


def nan_row(tensors, config):
    table = tensors["embeddings.word_embeddings.weight"].copy()
    table[7, :] = np.nan
    tensors["embeddings.word_embeddings.weight"] = table
    return [error("nonfinite", "embeddings.word_embeddings.weight")]


def zeroed(tensors, config):
    name = "encoder.layer.1.output.dense.weight"
    tensors[name] = np.zeros_like(tensors[name])
    # A zero bias is legitimate and must not be reported.
    tensors["encoder.layer.1.output.dense.bias"] = np.zeros_like(tensors["encoder.layer.1.output.dense.bias"])
    return [error("zero", name)]


def extra(tensors, config):
    name = "encoder.layer.0.attention.self.extra_proj.weight"
    tensors[name] = np.random.default_rng(7).standard_normal((32, 32)).astype(np.float32)
    return [warning("unexpected", name)]


def hidden_size(tensors, config):
    # The config disagrees with the weights: every tensor with a hidden-size dimension is
    # off (all but the intermediate biases, which are [intermediate_size]).
    hidden = config["hidden_size"]
    config["hidden_size"] = 48
    config["pooler_hidden_size"] = 48
    return [error("shape", name) for name in sorted(tensors) if hidden in tensors[name].shape]


VARIANTS = {
    "removed-tensor": removed,
    "renamed-tensor": renamed,
    "transposed-tensor": transposed,
    "nan-row": nan_row,
    "zeroed-tensor": zeroed,
    "extra-tensor": extra,
    "config-hidden-size": hidden_size,
}


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    manifest = {}
    for name, damage in VARIANTS.items():
        tensors = load_file(os.path.join(SAMPLE, "model.safetensors"))
        with open(os.path.join(SAMPLE, "config.json")) as f:
            config = json.load(f)
        problems = damage(tensors, config)
        folder = os.path.join(OUT, name)
        os.makedirs(folder)
        save_file(tensors, os.path.join(folder, "model.safetensors"), metadata={"format": "pt"})
        with open(os.path.join(folder, "config.json"), "w") as f:
            json.dump(config, f, indent=2, sort_keys=True)
            f.write("\n")
        errors = [p for p in problems if p["severity"] == "error"]
        manifest[name] = {
            "problems": sorted(problems, key=lambda p: (p["tensor"], p["code"])),
            "valid": not errors,
            # --strict turns the unexpected warnings into errors.
            "valid_strict": not problems,
        }
        print(f"{name}: {len(problems)} problems")
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
