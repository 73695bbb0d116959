"""Writes a BERT-large-shaped model folder (335M F32 parameters, 1.34 GB model.safetensors,
config.json, and the tokenizer files of the folder given): the input of Benchmarks/gguf.sh.
Weights from Benchmarks/make_pytorch_checkpoint.py's pytorch_model.bin (made if absent).

    python Benchmarks/make_bert_large_folder.py OUT_DIR TOKENIZER_DIR
"""
import json, os, shutil, subprocess, sys

import torch
from safetensors.torch import save_file

out, tokenizer = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
checkpoint = os.path.join(out, "pytorch_model.bin")
if not os.path.exists(checkpoint):
    subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__), "make_pytorch_checkpoint.py"), out], check=True)
state = torch.load(checkpoint, map_location="cpu", weights_only=True)
save_file({k: v.contiguous() for k, v in state.items()}, os.path.join(out, "model.safetensors"), metadata={"format": "pt"})
os.remove(checkpoint)
config = {"architectures": ["BertModel"], "model_type": "bert", "hidden_size": 1024, "num_hidden_layers": 24,
          "num_attention_heads": 16, "intermediate_size": 4096, "max_position_embeddings": 512, "vocab_size": 30522,
          "type_vocab_size": 2, "layer_norm_eps": 1e-12, "hidden_act": "gelu", "pad_token_id": 0}
with open(os.path.join(out, "config.json"), "w") as f:
    json.dump(config, f, indent=2)
for name in ("tokenizer.json", "tokenizer_config.json", "vocab.txt", "special_tokens_map.json"):
    if os.path.exists(os.path.join(tokenizer, name)):
        shutil.copy(os.path.join(tokenizer, name), out)
