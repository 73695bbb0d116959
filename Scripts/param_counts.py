#!/usr/bin/env python3
"""Writes SampleModels/configs/parameters.json: for each config, the parameters transformers
creates for it (AutoModel.from_config: BertModel with its pooler, DebertaV2Model), their names
and shapes, and their total. The Swift schema tests compare their expected tensors to these.

Models are built on the meta device, so no weights are allocated and the defaults-only
configs (bert-base, the 1.5B-wide DeBERTa-v2 defaults) cost nothing.

    PYTHONDONTWRITEBYTECODE=1 python3 Scripts/param_counts.py
"""
import json
import os
import re

import torch
import transformers
from transformers import AutoConfig, AutoModel, BertModel

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "SampleModels", "configs", "parameters.json")

# Committed config.json files, by path relative to the repository root.
FILES = {
    "all-MiniLM-L6-v2": "SampleModels/configs/all-MiniLM-L6-v2/config.json",
    "deberta-v3-xsmall": "SampleModels/configs/deberta-v3-xsmall/config.json",
    "tiny-deberta": "SampleModels/tiny-deberta/config.json",
}

# Small synthetic configs that reach the branches the real ones do not.
SMALL = {"hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 96,
         "vocab_size": 100, "max_position_embeddings": 40}
INLINE = {
    # Every field absent: transformers' defaults (bert-base, DebertaV2Config()).
    "bert-defaults": {"model_type": "bert"},
    "deberta-v2-defaults": {"model_type": "deberta-v2"},
    # deberta-v2-xlarge's shape of settings: buckets, shared keys, "|" strings, a convolution.
    "deberta-v2-conv": dict(SMALL, model_type="deberta-v2", relative_attention=True, position_buckets=8,
                            max_relative_positions=-1, share_att_key=True, pos_att_type="p2c|c2p",
                            norm_rel_ebd="layer_norm", conv_kernel_size=3, conv_act="gelu",
                            position_biased_input=False, type_vocab_size=0),
    # DeBERTa-v1-like: separate position projections, absolute positions, token types,
    # a narrower embedding with embed_proj, an explicit relative span and no buckets.
    "deberta-v2-unshared": dict(SMALL, model_type="deberta-v2", relative_attention=True, max_relative_positions=20,
                                share_att_key=False, pos_att_type=["c2p", "p2c"], position_biased_input=True,
                                type_vocab_size=2, embedding_size=32),
    # Only c2p, span from max_position_embeddings (max_relative_positions < 1), grouped convolution.
    "deberta-v2-c2p": dict(SMALL, model_type="deberta-v2", relative_attention=True, max_relative_positions=0,
                           share_att_key=False, pos_att_type=["c2p"], norm_rel_ebd="none",
                           conv_kernel_size=3, conv_groups=2, type_vocab_size=1),
    # A small BERT with one token type and legacy fields it must ignore.
    "bert-small": dict(SMALL, model_type="bert", type_vocab_size=1, position_embedding_type="absolute"),
}


def describe(model):
    return {name: list(p.shape) for name, p in model.named_parameters()}


def count(model):
    return sum(p.numel() for p in model.parameters())


def main():
    cases = []
    sources = [(name, {"path": path}, json.load(open(os.path.join(ROOT, path)))) for name, path in FILES.items()]
    # Inline configs are stored as the config.json text the Swift tests parse.
    sources += [(name, {"config": json.dumps(config, sort_keys=True)}, config) for name, config in INLINE.items()]
    for name, where, config_dict in sources:
        config_dict = dict(config_dict)
        model_type = config_dict.pop("model_type")
        config = AutoConfig.for_model(model_type, **config_dict)
        with torch.device("meta"):
            model = AutoModel.from_config(config)
            case = dict(where, name=name, model_type=model_type, model_class=type(model).__name__,
                        parameters=count(model), tensors=describe(model))
            if model_type == "bert":
                case["parameters_without_pooler"] = count(BertModel(config, add_pooling_layer=False))
        cases.append(case)
        print(f"{name}: {case['model_class']} {case['parameters']:,} parameters in {len(case['tensors'])} tensors")
    text = json.dumps({"generated_by": "Scripts/param_counts.py", "torch": torch.__version__,
                       "transformers": transformers.__version__, "cases": cases}, indent=1, sort_keys=True)
    # One line per tensor: shapes on the line of their name.
    text = re.sub(r"\[\s+([-\d,\s]*?)\s*\]", lambda m: "[" + " ".join(m.group(1).split()) + "]", text)
    with open(OUT, "w") as out:
        out.write(text + "\n")


if __name__ == "__main__":
    main()
