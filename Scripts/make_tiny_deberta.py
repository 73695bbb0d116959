"""Writes SampleModels/tiny-deberta/: a tiny, randomly initialised DeBERTa-v3-xsmall-shaped
encoder (config.json + model.safetensors), plus expected/ reference outputs
(case_a/b/c.safetensors: input_ids I64, attention_mask I64, last_hidden_state F32) that
accuracy tests compare against.

    PYTHONDONTWRITEBYTECODE=1 python3 Scripts/make_tiny_deberta.py [OUT_DIR]

Needs torch, transformers (DebertaV2Model) and safetensors (pinned in Scripts/requirements.txt);
run it with any interpreter that has them (`make fixtures` uses $(PYTHON)). Deterministic on CPU: weights come
from torch.manual_seed(0) plus a seeded perturbation of LayerNorm parameters and all biases
(so a reader that ignores a bias or a LayerNorm weight gives different outputs).
"""
import inspect
import json
import os
import sys

import torch
import transformers
from safetensors.torch import save_file
from transformers import DebertaV2Config, DebertaV2Model

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "SampleModels", "tiny-deberta")

CONFIG = dict(
    vocab_size=1000,
    hidden_size=32,
    num_hidden_layers=2,
    num_attention_heads=4,
    intermediate_size=64,
    hidden_act="gelu",
    max_position_embeddings=512,
    type_vocab_size=0,
    relative_attention=True,
    position_buckets=16,
    max_relative_positions=-1,
    pos_att_type=["p2c", "c2p"],
    share_att_key=True,
    norm_rel_ebd="layer_norm",
    position_biased_input=False,
    layer_norm_eps=1e-7,
    initializer_range=0.02,
    pad_token_id=0,
    hidden_dropout_prob=0.1,
    attention_probs_dropout_prob=0.1,
)


def build_model():
    torch.manual_seed(0)
    config = DebertaV2Config(**CONFIG)
    model = DebertaV2Model(config)
    # Perturb LayerNorm weights/biases and every bias with seeded noise, in a fixed
    # (sorted-name) order from a private generator.
    gen = torch.Generator().manual_seed(1234)
    with torch.no_grad():
        for name, p in sorted(model.named_parameters()):
            if "LayerNorm" in name and name.endswith(".weight"):
                p.copy_(1.0 + 0.1 * torch.randn(p.shape, generator=gen))
            elif name.endswith(".bias"):
                p.copy_(0.05 * torch.randn(p.shape, generator=gen))
    model.eval()
    return model


def cases():
    a_ids = torch.tensor([[1, 17, 42, 99, 2]], dtype=torch.int64)
    b_ids = torch.tensor([[1, 5, 6, 7, 8, 9, 10, 2], [1, 300, 301, 2, 0, 0, 0, 0]], dtype=torch.int64)
    b_mask = torch.tensor([[1] * 8, [1, 1, 1, 1, 0, 0, 0, 0]], dtype=torch.int64)
    # 40 tokens: 1, then 38 ids spread over the vocabulary, then 2.
    c_ids = torch.tensor([[1] + [3 + (i * 37) % 990 for i in range(38)] + [2]], dtype=torch.int64)
    return {
        "case_a": (a_ids, torch.ones_like(a_ids)),
        "case_b": (b_ids, b_mask),
        "case_c": (c_ids, torch.ones_like(c_ids)),
    }


def main():
    model = build_model()
    os.makedirs(OUT, exist_ok=True)
    kwargs = {}
    if "safe_serialization" in inspect.signature(model.save_pretrained).parameters:
        kwargs["safe_serialization"] = True  # transformers < 5; v5 always writes safetensors
    model.save_pretrained(OUT, **kwargs)
    for extra in ("generation_config.json",):
        path = os.path.join(OUT, extra)
        if os.path.exists(path):
            os.remove(path)

    n_params = sum(p.numel() for p in model.parameters())
    print(f"torch {torch.__version__}, transformers {transformers.__version__}")
    print(f"parameters: {n_params}")

    exp_dir = os.path.join(OUT, "expected")
    os.makedirs(exp_dir, exist_ok=True)
    with torch.no_grad():
        for name, (ids, mask) in cases().items():
            out = model(input_ids=ids, attention_mask=mask).last_hidden_state.to(torch.float32)
            save_file(
                {
                    "input_ids": ids.contiguous(),
                    "attention_mask": mask.contiguous(),
                    "last_hidden_state": out.contiguous(),
                },
                # No metadata: the writer orders metadata keys randomly (a Rust HashMap),
                # which would make the files differ from run to run.
                os.path.join(exp_dir, f"{name}.safetensors"),
            )
            print(f"{name}: input_ids {tuple(ids.shape)} -> last_hidden_state {tuple(out.shape)}")

    with open(os.path.join(OUT, "config.json")) as f:
        json.load(f)  # sanity: valid JSON
    size = os.path.getsize(os.path.join(OUT, "model.safetensors"))
    assert size < 2 * 1024 * 1024, size
    print(f"model.safetensors: {size} bytes")


if __name__ == "__main__":
    main()
