"""Expected outputs of the inference core's fused passes (Sources/CKernels/softmax.c,
layer_norm.c, gelu.c), computed with torch in float32 as transformers computes them:
masked softmax (masked scores filled with finfo(float32).min), DeBERTa's disentangled
scores gathered with torch.gather, LayerNorm of x + bias + residual, GELU of x + bias.

    python Scripts/gen_encoder_kernel_vectors.py   # writes Formats/vectors/encoder/kernels.json
"""
import json
import pathlib

import torch

torch.manual_seed(20261130)
out = pathlib.Path(__file__).resolve().parent.parent / "Formats/vectors/encoder/kernels.json"
MIN = torch.finfo(torch.float32).min


def floats(t):
    return [float(v) for v in t.reshape(-1).tolist()]


def softmax_case(rows, columns, scale, keep, row_kept=True):
    x = torch.randn(rows, columns) * scale
    # Very large and very small scores: exp underflow to 0 and the max shift.
    x[0, 0] = 80.0
    x[-1, -1] = -95.0
    keep_t = torch.tensor(keep, dtype=torch.bool)
    masked = x.masked_fill(~keep_t, MIN)
    if not row_kept:
        masked = torch.full_like(x, MIN)
    y = torch.softmax(masked, dim=-1)
    return {"rows": rows, "columns": columns, "scores": floats(x), "keep": [int(v) for v in keep],
            "row_kept": row_kept, "expected": floats(y)}


def disentangled_case(length, positions):
    scores = torch.randn(length, length)
    c2p = torch.randn(length, positions)
    p2c = torch.randn(length, positions)
    c2p_index = torch.randint(0, positions, (length, length))
    p2c_index = torch.randint(0, positions, (length, length))
    keep = torch.ones(length, dtype=torch.bool)
    keep[length - 2:] = False
    total = scores + torch.gather(c2p, 1, c2p_index) + torch.gather(p2c, 1, p2c_index.T).T
    # transformers' DebertaV2: mask = keys & queries; masked positions get the minimum.
    mask = keep[None, :] & keep[:, None]
    y = torch.softmax(total.masked_fill(~mask, MIN), dim=-1)
    return {"length": length, "positions": positions, "scores": floats(scores), "c2p": floats(c2p), "p2c": floats(p2c),
            "c2p_index": [int(v) for v in c2p_index.reshape(-1)], "p2c_index": [int(v) for v in p2c_index.reshape(-1)],
            "keep": [int(v) for v in keep], "expected": floats(y)}


def layer_norm_case(rows, columns, epsilon):
    x, residual, bias = torch.randn(rows, columns) * 3 + 1, torch.randn(rows, columns), torch.randn(columns)
    gamma, beta = torch.randn(columns), torch.randn(columns)
    y = torch.nn.functional.layer_norm(x + bias + residual, (columns,), gamma, beta, epsilon)
    plain = torch.nn.functional.layer_norm(x, (columns,), gamma, beta, epsilon)
    return {"rows": rows, "columns": columns, "epsilon": epsilon, "x": floats(x), "residual": floats(residual),
            "bias": floats(bias), "gamma": floats(gamma), "beta": floats(beta), "expected": floats(y), "expected_plain": floats(plain)}


def gelu_case(rows, columns):
    x, bias = torch.randn(rows, columns) * 4, torch.randn(columns)
    return {"rows": rows, "columns": columns, "x": floats(x), "bias": floats(bias),
            "expected": floats(torch.nn.functional.gelu(x + bias))}


vectors = {
    "softmax": [
        softmax_case(3, 37, 4.0, [1] * 37),
        softmax_case(2, 64, 10.0, [1] * 60 + [0] * 4),
        softmax_case(2, 5, 1.0, [1, 0, 1, 0, 1]),
        softmax_case(2, 19, 1.0, [1] * 19, row_kept=False),
    ],
    "disentangled": [disentangled_case(11, 21), disentangled_case(16, 31)],
    "layer_norm": [layer_norm_case(5, 384, 1e-12), layer_norm_case(3, 13, 1e-7)],
    "gelu": [gelu_case(4, 37)],
}
out.write_text(json.dumps(vectors) + "\n")
print(out, out.stat().st_size, "bytes")
