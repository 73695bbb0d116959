#!/usr/bin/env python3
"""Expected outputs for `weights embed` on the tiny BERT GGUF (Formats/vectors/gguf/bert/).

The oracle is the original model, not the GGUF: Hugging Face `tokenizers` on the original
vocab.txt (BertWordPieceTokenizer, uncased defaults) gives the ids, and transformers' BertModel
on the original model.safetensors + config.json gives last_hidden_state for the padded batch.
The sentence embedding is that output mean-pooled over real tokens and L2-normalised
(the GGUF says bert.pooling_type = 1, mean; llama.cpp normalises by default).

Writes Formats/vectors/gguf/bert/expected_embed.json. Run after gen_gguf_vectors.py.
"""
import json, os
import numpy as np
import torch
from tokenizers import BertWordPieceTokenizer
from transformers import BertModel

FOLDER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Formats", "vectors", "gguf", "bert")
TEXTS = ["Hello world, the cat sat on the mat!", "The dogs unaffable CAF\u00c9"]

tokenizer = BertWordPieceTokenizer(os.path.join(FOLDER, "vocab.txt"))  # lowercase, strip accents: BERT's defaults
encodings = tokenizer.encode_batch(TEXTS)
ids = [e.ids for e in encodings]
tokens = [e.tokens for e in encodings]
length = max(map(len, ids))
input_ids = torch.tensor([row + [0] * (length - len(row)) for row in ids])
mask = np.array([[1] * len(row) + [0] * (length - len(row)) for row in ids])
model = BertModel.from_pretrained(FOLDER, attn_implementation="eager").eval()
with torch.no_grad():
    states = model(input_ids=input_ids, attention_mask=torch.tensor(mask)).last_hidden_state.numpy()
mean = (states * mask[:, :, None]).sum(1) / mask.sum(1, keepdims=True)
pooled = mean / np.maximum(np.linalg.norm(mean, axis=1, keepdims=True), 1e-12)
expected = {
    "texts": TEXTS,
    "ids": ids,
    "tokens": tokens,
    "attention_mask": mask.tolist(),
    "last_hidden_state_shape": list(states.shape),
    "last_hidden_state": [float(v) for v in states.reshape(-1)],
    "sentence_embedding": [float(v) for v in pooled.reshape(-1)],
}
with open(os.path.join(FOLDER, "expected_embed.json"), "w") as f:
    json.dump(expected, f, indent=1)
print("ids", expected["ids"], "tokens", expected["tokens"])
