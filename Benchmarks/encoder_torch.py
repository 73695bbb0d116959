"""The peer for the inference core: transformers' BertModel on the CPU with torch, same
model (all-MiniLM-L6-v2), same thread count and the same ids as encoder-bench.

    python encoder_torch.py MODEL_DIR THREADS
"""
import sys
import time

import torch
from transformers import BertModel

model_dir, threads = sys.argv[1], int(sys.argv[2])
torch.set_num_threads(threads)
model = BertModel.from_pretrained(model_dir).eval()


def ids(batch, length):
    state, rows = 12345, []
    for _ in range(batch):
        row = [101]
        for _ in range(length - 2):
            state = (state * 1103515245 + 12345) % 2147483648
            row.append(1000 + state % 28000)
        rows.append(row + [102])
    return torch.tensor(rows)


with torch.inference_mode():
    for batch, length in [(1, 8), (8, 32), (32, 128)]:
        x = ids(batch, length)
        mask = torch.ones_like(x)
        model(input_ids=x, attention_mask=mask)
        runs = 5 if batch * length >= 4096 else 30
        start = time.perf_counter()
        for _ in range(runs):
            model(input_ids=x, attention_mask=mask)
        print(f"torch {batch}x{length} {(time.perf_counter() - start) * 1000 / runs} ms")
