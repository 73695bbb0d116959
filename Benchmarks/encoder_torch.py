"""The peer for the inference core: transformers on the CPU with torch (BertModel for bert,
DebertaV2Model for deberta), same model, same thread count and the same ids as encoder-bench:
one round of 1×8, 8×32, 8×128 and 32×128 tokens after a warm-up call per batch. Prints
"torch BATCHxLENGTH MS" per batch and the process's peak resident memory.
With --compare FILE (encoder-bench --dump), prints the largest absolute difference between
encoder-bench's last hidden states of the 8×32 batch and transformers'.

    python encoder_torch.py bert|deberta MODEL_DIR THREADS [--compare FILE]
"""
import resource
import sys
import time

import numpy as np
import torch
from transformers import BertModel, DebertaV2Model

kind, model_dir, threads = sys.argv[1], sys.argv[2], int(sys.argv[3])
torch.set_num_threads(threads)
model = {"bert": BertModel, "deberta": DebertaV2Model}[kind].from_pretrained(model_dir).eval()


def ids(batch, length):
    state, rows = 12345, []
    for _ in range(batch):
        row = [101]
        for _ in range(length - 2):
            state = (state * 1103515245 + 12345) % 2147483648
            row.append(1000 + state % 28000)
        rows.append(row + [102])
    return torch.tensor(rows)


def runs(tokens):
    return max(1, min(30, 4096 // tokens))


with torch.inference_mode():
    if len(sys.argv) == 6 and sys.argv[4] == "--compare":
        x = ids(8, 32)
        ours = np.fromfile(sys.argv[5], dtype="<f4").reshape(8, 32, -1)
        theirs = model(input_ids=x, attention_mask=torch.ones_like(x)).last_hidden_state.numpy()
        print(f"max_abs_diff {np.abs(ours - theirs).max():.3e}")
    for batch, length in [(1, 8), (8, 32), (8, 128), (32, 128)]:
        x = ids(batch, length)
        mask = torch.ones_like(x)
        model(input_ids=x, attention_mask=mask)
        count = runs(batch * length)
        start = time.perf_counter()
        for _ in range(count):
            model(input_ids=x, attention_mask=mask)
        print(f"torch {batch}x{length} {(time.perf_counter() - start) * 1000 / count}")
print(f"torch peak_rss_mb {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}")
