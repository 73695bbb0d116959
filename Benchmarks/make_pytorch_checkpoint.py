"""Writes a BERT-large-shaped pytorch_model.bin (335M F32 parameters, 1.34 GB) with torch.save,
the way transformers saved checkpoints before safetensors: the peer file of Benchmarks/pytorch.sh.

    python Benchmarks/make_pytorch_checkpoint.py OUT_DIR
"""
import os
import sys

import torch

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
hidden, inner, layers, vocab = 1024, 4096, 24, 30522
generator = torch.Generator().manual_seed(0)


def tensor(*shape):
    return torch.randn(*shape, generator=generator) * 0.02


state = {
    "bert.embeddings.word_embeddings.weight": tensor(vocab, hidden),
    "bert.embeddings.position_embeddings.weight": tensor(512, hidden),
    "bert.embeddings.token_type_embeddings.weight": tensor(2, hidden),
    "bert.embeddings.LayerNorm.weight": torch.ones(hidden),
    "bert.embeddings.LayerNorm.bias": torch.zeros(hidden),
}
for layer in range(layers):
    prefix = f"bert.encoder.layer.{layer}."
    for name, shape in [("attention.self.query", (hidden, hidden)), ("attention.self.key", (hidden, hidden)),
                        ("attention.self.value", (hidden, hidden)), ("attention.output.dense", (hidden, hidden)),
                        ("intermediate.dense", (inner, hidden)), ("output.dense", (hidden, inner))]:
        state[prefix + name + ".weight"] = tensor(*shape)
        state[prefix + name + ".bias"] = tensor(shape[0])
    for norm in ("attention.output.LayerNorm", "output.LayerNorm"):
        state[prefix + norm + ".weight"] = torch.ones(hidden)
        state[prefix + norm + ".bias"] = torch.zeros(hidden)
torch.save(state, os.path.join(out, "pytorch_model.bin"))
print(f"{sum(t.numel() for t in state.values())} parameters in {len(state)} tensors")
