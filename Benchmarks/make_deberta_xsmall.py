"""Writes a deberta-v3-xsmall-shaped model folder for the encoder benchmark: the published
microsoft/deberta-v3-xsmall config (hidden 384, 12 layers, 6 heads, intermediate 1536, vocabulary
128,100, relative attention p2c|c2p with 256 position buckets, LayerNorm on the relative
embeddings, shared attention keys) with transformers' DebertaV2Model randomly initialised
(seed 0), saved as config.json and model.safetensors (F32, about 280 MB).

    python Benchmarks/make_deberta_xsmall.py [OUT_DIR]   (default .build/bench-data/deberta-v3-xsmall-shaped)
"""
import json
import os
import sys

import torch
from safetensors.torch import save_file
from transformers import DebertaV2Config, DebertaV2Model

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build", "bench-data", "deberta-v3-xsmall-shaped")

CONFIG = {
    "model_type": "deberta-v2",
    "architectures": ["DebertaV2Model"],
    "attention_probs_dropout_prob": 0.1,
    "hidden_act": "gelu",
    "hidden_dropout_prob": 0.1,
    "hidden_size": 384,
    "initializer_range": 0.02,
    "intermediate_size": 1536,
    "max_position_embeddings": 512,
    "relative_attention": True,
    "position_buckets": 256,
    "norm_rel_ebd": "layer_norm",
    "share_att_key": True,
    "pos_att_type": ["p2c", "c2p"],
    "layer_norm_eps": 1e-7,
    "max_relative_positions": -1,
    "position_biased_input": False,
    "num_attention_heads": 6,
    "num_hidden_layers": 12,
    "type_vocab_size": 0,
    "vocab_size": 128100,
    "pad_token_id": 0,
}

os.makedirs(OUT, exist_ok=True)
torch.manual_seed(0)
model = DebertaV2Model(DebertaV2Config(**CONFIG)).eval()
state = {name: tensor.contiguous() for name, tensor in model.state_dict().items()}
save_file(state, os.path.join(OUT, "model.safetensors"), metadata={"format": "pt"})
with open(os.path.join(OUT, "config.json"), "w") as f:
    json.dump(CONFIG, f, indent=2)
print(f"{OUT}: {sum(t.numel() for t in state.values()) / 1e6:.1f}M parameters, {len(state)} tensors")
