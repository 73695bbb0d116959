#!/usr/bin/env python3
"""Compressed-tensors int8 fixtures and the transformers check of our int8 model folders.

Writes under SampleModels/compressed-tensors/:
  tiny-bert/         a tiny random BERT (float32): config.json, model.safetensors, vocab.txt
  tiny-bert-ct/      the same model quantized the llm-compressor way with compressed-tensors'
                     own API (int8, symmetric, channel-wise, naive-quantized): scales from
                     calculate_qparams (max|row| / 127.5, as llm-compressor's min-max observer),
                     then ModelCompressor.compress_model + save_pretrained + update_config
  expected.json      transformers' last_hidden_state of tiny-bert-ct (loaded through
                     compressed-tensors) for a few id sequences; the tensor names, dtypes and
                     shapes compressed-tensors wrote; and the quantization_config our tool must
                     write for tiny-bert --dtype int8 (validated here by compressed-tensors'
                     QuantizationConfig: same model_dump as the scheme used for tiny-bert-ct)
  transformers-check.json  with --weights BIN: `weights convert M OUT/ --dtype int8` for the
                     tiny BERT and all-MiniLM-L6-v2 loaded by transformers + compressed-tensors,
                     max abs difference against `weights embed` on the same folder (must be <= 1e-4)

Run with the Python fixture environment (torch, transformers, compressed-tensors):
  python3 Scripts/make_compressed_tensors_reference.py \
      [--weights .build/debug/weights] [--minilm DIR]
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

import torch
import transformers
from safetensors import safe_open
from transformers import AutoModel, BertConfig, BertModel

import compressed_tensors
from compressed_tensors.compressors import ModelCompressor
from compressed_tensors.quantization import (QuantizationArgs, QuantizationConfig, QuantizationScheme,
                                             QuantizationStatus, apply_quantization_config)
from compressed_tensors.quantization.utils import calculate_qparams

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), ".."))
OUT = os.path.join(ROOT, "SampleModels", "compressed-tensors")
IGNORED = ["embeddings.position_embeddings", "embeddings.token_type_embeddings"]
SEQUENCES = [[2, 7, 9, 11, 3], [2, 40, 41, 42, 43, 44, 45, 3], [2, 63, 3]]
TEXTS = ["A man is playing a guitar.", "The weather is lovely today, isn't it?",
         "Quantized weights should give nearly the same sentence embeddings."]


def scheme_config(ignore):
    """The scheme our tool declares, built with compressed-tensors' classes."""
    scheme = QuantizationScheme(
        targets=["Linear", "Embedding"],
        weights=QuantizationArgs(num_bits=8, type="int", symmetric=True, strategy="channel", dynamic=False),
        format="naive-quantized")
    return QuantizationConfig(config_groups={"group_0": scheme}, format="naive-quantized",
                              quantization_status=QuantizationStatus.COMPRESSED, ignore=ignore)


def write_tiny_bert(folder):
    torch.manual_seed(11)
    config = BertConfig(vocab_size=64, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                        intermediate_size=64, max_position_embeddings=32, type_vocab_size=2)
    model = BertModel(config, add_pooling_layer=True).eval()
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.normal_(0, 0.5)
    model.save_pretrained(folder, safe_serialization=True)
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + [f"w{i}" for i in range(59)]
    with open(os.path.join(folder, "vocab.txt"), "w") as f:
        f.write("\n".join(vocab) + "\n")
    return model


def quantize_like_llm_compressor(model, folder):
    config = scheme_config(IGNORED)
    config.quantization_status = QuantizationStatus.INITIALIZED
    apply_quantization_config(model, config)
    args = config.config_groups["group_0"].weights
    for name, module in model.named_modules():
        if getattr(module, "quantization_scheme", None) is None:
            continue
        weight = module.weight.data
        scale, zero_point = calculate_qparams(weight.amin(dim=1, keepdim=True), weight.amax(dim=1, keepdim=True), args)
        module.weight_scale.data = scale.to(module.weight_scale.dtype).reshape(module.weight_scale.shape)
        if hasattr(module, "weight_zero_point"):
            module.weight_zero_point.data = zero_point.reshape(module.weight_zero_point.shape).to(module.weight_zero_point.dtype)
    compressor = ModelCompressor.from_pretrained_model(model, quantization_format="naive-quantized")
    compressor.compress_model(model)
    model.save_pretrained(folder, safe_serialization=True)
    compressor.update_config(folder)


def tensor_layout(path):
    with safe_open(path, "pt") as f:
        return {name: {"dtype": str(f.get_slice(name).get_dtype()), "shape": list(f.get_slice(name).get_shape())}
                for name in f.keys()}


def hidden_states(folder, sequences):
    model = AutoModel.from_pretrained(folder).eval()
    out = []
    with torch.no_grad():
        for ids in sequences:
            tensor = torch.tensor([ids])
            out.append(model(input_ids=tensor, attention_mask=torch.ones_like(tensor)).last_hidden_state[0].tolist())
    return out


def check_quantization_config(folder):
    """Our written quantization_config parses to the same scheme compressed-tensors builds."""
    with open(os.path.join(folder, "config.json")) as f:
        written = json.load(f)["quantization_config"]
    ours = QuantizationConfig.model_validate({k: v for k, v in written.items() if k != "quant_method"})
    assert written["quant_method"] == "compressed-tensors"
    assert ours.model_dump() == scheme_config(written["ignore"]).model_dump(), "quantization_config differs"
    return written


def embed_with_weights(binary, folder, texts):
    arguments = [binary, "embed", folder, "--json", "--values", "0"]
    for text in texts:
        arguments += ["--text", text]
    result = subprocess.run(arguments, check=True, capture_output=True, text=True)
    return torch.tensor(json.loads(result.stdout)["sentence_embedding"])


def embed_with_transformers(folder, texts):
    from transformers import AutoTokenizer
    tokenizer = AutoTokenizer.from_pretrained(folder)
    model = AutoModel.from_pretrained(folder).eval()
    batch = tokenizer(texts, padding=True, truncation=True, max_length=256, return_tensors="pt")
    with torch.no_grad():
        hidden = model(**batch).last_hidden_state
    mask = batch["attention_mask"][..., None].float()
    pooled = (hidden * mask).sum(1) / mask.sum(1)
    return torch.nn.functional.normalize(pooled, dim=-1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--weights", help="the built weights binary, for the transformers check")
    parser.add_argument("--minilm", default=os.environ.get("WEIGHTS_MINILM_DIR"), help="all-MiniLM-L6-v2 folder")
    options = parser.parse_args()

    tiny, tiny_ct = os.path.join(OUT, "tiny-bert"), os.path.join(OUT, "tiny-bert-ct")
    for folder in (tiny, tiny_ct):
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder)
    model = write_tiny_bert(tiny)
    quantize_like_llm_compressor(model, tiny_ct)
    shutil.copy(os.path.join(tiny, "vocab.txt"), tiny_ct)

    expected = {
        "generator": f"transformers {transformers.__version__}, compressed-tensors {compressed_tensors.__version__}, torch {torch.__version__}",
        "sequences": SEQUENCES,
        "hidden_states": hidden_states(tiny_ct, SEQUENCES),
        "float_hidden_states": hidden_states(tiny, SEQUENCES),
        "tensors": tensor_layout(os.path.join(tiny_ct, "model.safetensors")),
    }
    # The committed form is exactly what our tool writes; it must parse to the same scheme.
    expected["quantization_config"] = {
        "config_groups": {"group_0": {"format": "naive-quantized", "input_activations": None, "output_activations": None,
                                      "targets": ["Linear", "Embedding"],
                                      "weights": {"dynamic": False, "num_bits": 8, "strategy": "channel", "symmetric": True, "type": "int"}}},
        "format": "naive-quantized", "ignore": IGNORED, "quant_method": "compressed-tensors", "quantization_status": "compressed"}
    parsed = QuantizationConfig.model_validate({k: v for k, v in expected["quantization_config"].items() if k != "quant_method"})
    assert parsed.model_dump() == scheme_config(IGNORED).model_dump()
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)
        f.write("\n")

    if not options.weights:
        return
    check = {"generator": expected["generator"], "tolerance": 1e-4}
    with tempfile.TemporaryDirectory() as scratch:
        ours = os.path.join(scratch, "tiny-int8") + "/"
        subprocess.run([options.weights, "convert", tiny, ours, "--dtype", "int8", "--quiet"], check=True)
        check["tiny_quantization_config_matches"] = check_quantization_config(ours) == expected["quantization_config"]
        check["tiny_tensor_layout_matches"] = tensor_layout(os.path.join(ours, "model.safetensors")) == expected["tensors"]
        reference = torch.tensor(hidden_states(ours, SEQUENCES[:1]))
        result = subprocess.run([options.weights, "embed", ours, "--ids", ",".join(map(str, SEQUENCES[0])), "--json", "--values", "32"],
                                check=True, capture_output=True, text=True)
        mine = torch.tensor(json.loads(result.stdout)["first_values"][0])
        check["tiny_max_abs_diff_hidden"] = float((reference[0] - mine).abs().max())
        if options.minilm:
            minilm = os.path.join(scratch, "minilm-int8") + "/"
            subprocess.run([options.weights, "convert", options.minilm, minilm, "--dtype", "int8", "--quiet"], check=True)
            check_quantization_config(minilm)
            theirs = embed_with_transformers(minilm, TEXTS)
            mine = embed_with_weights(options.weights, minilm, TEXTS)
            check["minilm_texts"] = TEXTS
            check["minilm_max_abs_diff_embeddings"] = float((theirs - mine).abs().max())
            check["minilm_min_cosine"] = float(torch.nn.functional.cosine_similarity(theirs, mine).min())
    with open(os.path.join(OUT, "transformers-check.json"), "w") as f:
        json.dump(check, f, indent=1, sort_keys=True)
        f.write("\n")
    print(json.dumps(check, indent=1))
    ok = check["tiny_quantization_config_matches"] and check["tiny_tensor_layout_matches"] and check["tiny_max_abs_diff_hidden"] <= 1e-4
    ok = ok and check.get("minilm_max_abs_diff_embeddings", 0) <= 1e-4
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
