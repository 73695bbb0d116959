"""Writes SampleModels/tiny-deberta-v3/: a DeBERTa-v3-style model folder in exactly the shape
microsoft/deberta-v3-xsmall is published in (config.json, pytorch_model.bin, spm.model,
tokenizer_config.json; no safetensors, no tokenizer.json), with random weights and a small
SentencePiece model trained here, plus expected/ reference outputs computed by transformers.

    PYTHONDONTWRITEBYTECODE=1 python3 Scripts/make_deberta_v3_sample.py [OUT_DIR]

Needs torch, transformers, sentencepiece and safetensors. The model has deberta-v3-xsmall's
widths (hidden 384, 6 heads, position_buckets 256, relative attention p2c|c2p, LayerNorm on the
relative embeddings) with 2 layers, a narrower feed-forward (256) and the trained vocabulary,
so that the card's example comes out as [1, 4, 384] while the folder stays small.

pytorch_model.bin is written by torch.save as the published RTD discriminator checkpoints are:
keys prefixed `deberta.`, the `embeddings.position_ids` buffer (I64), the generator head
`lm_predictions.lm_head.*` and the discriminator head `mask_predictions.*`. Weights are F16
(HalfStorage), as many published fine-tunes are, to keep the folder small; the reference
outputs come from transformers loading that very folder in float32.

Token ids come from the `sentencepiece` library's encode, wrapped as DeBERTa-v3 does
([CLS]=1 ... [SEP]=2); they are checked against transformers' DebertaV2Tokenizer on the same
folder where it is available.
"""
import json
import os
import shutil
import sys
import tempfile

import sentencepiece as spm
import torch
import transformers
from safetensors.torch import save_file
from transformers import DebertaV2Config, DebertaV2Model

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "SampleModels", "tiny-deberta-v3")

SPM_VOCAB = 1000
CONFIG = dict(
    model_type="deberta-v2",
    attention_probs_dropout_prob=0.1,
    hidden_act="gelu",
    hidden_dropout_prob=0.1,
    hidden_size=384,
    initializer_range=0.02,
    intermediate_size=256,
    max_position_embeddings=512,
    relative_attention=True,
    position_buckets=256,
    norm_rel_ebd="layer_norm",
    share_att_key=True,
    pos_att_type="p2c|c2p",
    layer_norm_eps=1e-7,
    max_relative_positions=-1,
    position_biased_input=False,
    num_attention_heads=6,
    num_hidden_layers=2,
    type_vocab_size=0,
    # As published: the SentencePiece pieces, [MASK] appended after them, then spare rows.
    vocab_size=SPM_VOCAB + 100,
)

TEXTS = {
    "hello": ["Hello world"],
    "batch": [
        "I ate an Apple",
        "I bought Apple stock, and the price went up by 3% on Tuesday.",
        "Hello world",
    ],
    # Over 128 tokens: relative distances reach the logarithmic buckets (position_buckets 256).
    "long": [" ".join(["I bought Apple stock, and the price went up by 3% on Tuesday."] * 7)],
}


def training_text():
    """English prose: the docstrings of Python's standard library (deterministic for one
    Python version), plus the sample sentences, so that common words become whole pieces."""
    import importlib
    import inspect as pyinspect
    modules = ["argparse", "asyncio", "base64", "bisect", "calendar", "collections", "configparser",
               "contextlib", "copy", "csv", "dataclasses", "datetime", "decimal", "difflib", "email",
               "enum", "fractions", "functools", "gettext", "glob", "hashlib", "heapq", "http.client",
               "inspect", "io", "itertools", "json", "logging", "math", "os", "pathlib", "pickle",
               "pprint", "queue", "random", "re", "shutil", "socket", "sqlite3", "statistics",
               "string", "subprocess", "tarfile", "tempfile", "textwrap", "threading", "typing",
               "unittest", "urllib.request", "zipfile"]
    lines = []
    for name in modules:
        module = importlib.import_module(name)
        docs = [module.__doc__ or ""]
        for member_name, member in sorted(vars(module).items()):
            if not member_name.startswith("_") and (pyinspect.isfunction(member) or pyinspect.isclass(member)):
                docs.append(member.__doc__ if isinstance(member.__doc__, str) else "")
        for doc in docs:
            lines += [line.strip() for line in doc.splitlines() if len(line.strip()) > 20]
    lines += ["Hello world", "Hello, world!", "Say hello to the world.", "I ate an Apple", "I bought Apple stock, and the price went up on Tuesday."] * 1000
    return "\n".join(lines) + "\n"


def train_spm(directory):
    corpus = os.path.join(directory, "corpus.txt")
    with open(corpus, "w", encoding="utf-8") as f:
        f.write(training_text())
    prefix = os.path.join(directory, "spm")
    # The special pieces where DeBERTa-v3's spm.model has them: [PAD]=0, [CLS]=1, [SEP]=2, [UNK]=3.
    spm.SentencePieceTrainer.train(
        input=corpus, model_prefix=prefix, vocab_size=SPM_VOCAB, model_type="unigram",
        normalization_rule_name="nmt_nfkc", character_coverage=1.0,
        pad_id=0, pad_piece="[PAD]", bos_id=1, bos_piece="[CLS]", eos_id=2, eos_piece="[SEP]",
        unk_id=3, unk_piece="[UNK]", minloglevel=2, num_threads=1, seed_sentencepiece_size=20000,
    )
    return prefix + ".model"


def build_state_dict():
    torch.manual_seed(0)
    model = DebertaV2Model(DebertaV2Config(**CONFIG))
    gen = torch.Generator().manual_seed(1234)
    with torch.no_grad():
        for name, p in sorted(model.named_parameters()):
            if "LayerNorm" in name and name.endswith(".weight"):
                p.copy_(1.0 + 0.1 * torch.randn(p.shape, generator=gen))
            elif name.endswith(".bias"):
                p.copy_(0.05 * torch.randn(p.shape, generator=gen))
    state = {"deberta." + k: v.detach().clone().to(torch.float16) for k, v in model.state_dict().items()}
    hidden, vocab = CONFIG["hidden_size"], CONFIG["vocab_size"]
    state["deberta.embeddings.position_ids"] = torch.arange(CONFIG["max_position_embeddings"], dtype=torch.int64)[None, :]

    def rand(*shape, scale=0.02):
        return (scale * torch.randn(*shape, generator=gen)).to(torch.float16)

    state["lm_predictions.lm_head.bias"] = rand(vocab)
    state["lm_predictions.lm_head.dense.weight"] = rand(hidden, hidden)
    state["lm_predictions.lm_head.dense.bias"] = rand(hidden)
    state["lm_predictions.lm_head.LayerNorm.weight"] = (1 + rand(hidden, scale=0.1)).to(torch.float16)
    state["lm_predictions.lm_head.LayerNorm.bias"] = rand(hidden)
    state["mask_predictions.dense.weight"] = rand(hidden, hidden)
    state["mask_predictions.dense.bias"] = rand(hidden)
    state["mask_predictions.LayerNorm.weight"] = (1 + rand(hidden, scale=0.1)).to(torch.float16)
    state["mask_predictions.LayerNorm.bias"] = rand(hidden)
    state["mask_predictions.classifier.weight"] = rand(1, hidden)
    state["mask_predictions.classifier.bias"] = rand(1)
    return state


def encode(processor, texts):
    """sentencepiece ids wrapped as DeBERTa-v3 does, padded with [PAD]=0 to the longest."""
    rows = [[1] + processor.encode(text) + [2] for text in texts]
    length = max(len(r) for r in rows)
    ids = torch.tensor([r + [0] * (length - len(r)) for r in rows], dtype=torch.int64)
    mask = torch.tensor([[1] * len(r) + [0] * (length - len(r)) for r in rows], dtype=torch.int64)
    return ids, mask


def check_against_transformers_tokenizer(folder, processor):
    try:
        from transformers import DebertaV2Tokenizer
        tokenizer = DebertaV2Tokenizer.from_pretrained(folder)
    except Exception as error:  # noqa: BLE001 - only a cross-check
        print(f"(transformers' DebertaV2Tokenizer not available: {error})")
        return
    for texts in TEXTS.values():
        for text in texts:
            ours = [1] + processor.encode(text) + [2]
            theirs = tokenizer(text)["input_ids"]
            assert ours == theirs, (text, ours, theirs)
    print("token ids agree with transformers' DebertaV2Tokenizer")


def main():
    # Everything but the hand-written README.md is regenerated.
    shutil.rmtree(os.path.join(OUT, "expected"), ignore_errors=True)
    os.makedirs(os.path.join(OUT, "expected"))
    with tempfile.TemporaryDirectory() as scratch:
        shutil.copy(train_spm(scratch), os.path.join(OUT, "spm.model"))
    processor = spm.SentencePieceProcessor(model_file=os.path.join(OUT, "spm.model"))
    assert processor.get_piece_size() == SPM_VOCAB

    config = dict(CONFIG)
    with open(os.path.join(OUT, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
        f.write("\n")
    with open(os.path.join(OUT, "tokenizer_config.json"), "w") as f:
        json.dump({"do_lower_case": False, "vocab_type": "spm"}, f)
        f.write("\n")
    torch.save(build_state_dict(), os.path.join(OUT, "pytorch_model.bin"))

    check_against_transformers_tokenizer(OUT, processor)
    model = DebertaV2Model.from_pretrained(OUT, dtype=torch.float32)
    model.eval()
    print(f"torch {torch.__version__}, transformers {transformers.__version__}, sentencepiece {spm.__version__}")
    with torch.no_grad():
        for name, texts in TEXTS.items():
            ids, mask = encode(processor, texts)
            out = model(input_ids=ids, attention_mask=mask).last_hidden_state.to(torch.float32)
            static = model.embeddings.word_embeddings(ids).to(torch.float32)
            save_file(
                {"input_ids": ids, "attention_mask": mask, "word_embeddings": static.contiguous(),
                 "last_hidden_state": out.contiguous()},
                os.path.join(OUT, "expected", f"{name}.safetensors"),
            )
            pieces = [[processor.id_to_piece(int(i)) for i in row[: int(m.sum())]] for row, m in zip(ids, mask)]
            print(f"{name}: {texts} -> {pieces} -> last_hidden_state {tuple(out.shape)}")
    with open(os.path.join(OUT, "expected", "texts.json"), "w") as f:
        json.dump(TEXTS, f, indent=2, ensure_ascii=False)
        f.write("\n")
    for name in os.listdir(os.path.join(OUT, "expected")):
        os.chmod(os.path.join(OUT, "expected", name), 0o644)
    size = os.path.getsize(os.path.join(OUT, "pytorch_model.bin"))
    print(f"pytorch_model.bin: {size} bytes")


if __name__ == "__main__":
    main()
