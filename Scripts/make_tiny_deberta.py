"""Builds SampleModels/tiny-deberta: a DeBERTa-v3-xsmall-shaped model (relative attention,
position buckets, p2c+c2p, shared attention keys, LayerNorm on relative embeddings, no
absolute positions) with small sizes and seeded random weights, saved by transformers as
config.json + model.safetensors. Also writes expected/ outputs from DebertaV2Model for the
inference core's accuracy tests.

    python Scripts/make_tiny_deberta.py      (needs torch, transformers, safetensors)
"""
import os

import torch
from safetensors.torch import save_file
from transformers import DebertaV2Config, DebertaV2Model

OUT = os.path.join(os.path.dirname(__file__), "..", "SampleModels", "tiny-deberta")

config = DebertaV2Config(
    vocab_size=1000, hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=64,
    hidden_act="gelu", max_position_embeddings=512, type_vocab_size=0, relative_attention=True,
    position_buckets=16, max_relative_positions=-1, pos_att_type=["p2c", "c2p"], share_att_key=True,
    norm_rel_ebd="layer_norm", position_biased_input=False, layer_norm_eps=1e-7, initializer_range=0.02,
    pad_token_id=0, hidden_dropout_prob=0.1, attention_probs_dropout_prob=0.1,
)
torch.manual_seed(0)
model = DebertaV2Model(config).eval()

# transformers initialises LayerNorm to 1/0 and biases to 0; perturb them (seeded) so a
# mistake in any term of the computation changes the output.
generator = torch.Generator().manual_seed(1)
with torch.no_grad():
    for name, parameter in model.named_parameters():
        noise = torch.randn(parameter.shape, generator=generator)
        if "LayerNorm.weight" in name:
            parameter.copy_(1 + 0.1 * noise)
        elif name.endswith("bias"):
            parameter.copy_(0.05 * noise)

os.makedirs(OUT, exist_ok=True)
model.save_pretrained(OUT, safe_serialization=True)

cases = {
    "case_a": ([[1, 17, 42, 99, 2]], [[1, 1, 1, 1, 1]]),
    "case_b": ([[1, 5, 6, 7, 8, 9, 10, 2], [1, 300, 301, 2, 0, 0, 0, 0]], [[1] * 8, [1, 1, 1, 1, 0, 0, 0, 0]]),
    "case_c": ([[1] + [3 + 7 * i % 990 for i in range(38)] + [2]], [[1] * 40]),
}
os.makedirs(os.path.join(OUT, "expected"), exist_ok=True)
for name, (ids, mask) in cases.items():
    input_ids = torch.tensor(ids, dtype=torch.int64)
    attention_mask = torch.tensor(mask, dtype=torch.int64)
    with torch.no_grad():
        hidden = model(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
    save_file({"input_ids": input_ids, "attention_mask": attention_mask, "last_hidden_state": hidden.contiguous()},
              os.path.join(OUT, "expected", f"{name}.safetensors"))
    print(name, tuple(hidden.shape))
print("parameters", sum(p.numel() for p in model.parameters()))
