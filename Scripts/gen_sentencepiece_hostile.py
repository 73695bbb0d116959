"""Writes hostile spm.model files and what the `sentencepiece` library (the oracle) does with each:

  Formats/vectors/sentencepiece/hostile/NAME.model
  Formats/vectors/sentencepiece/hostile/expected.json   per model: "sentencepiece" (loads, or
                                                        its refusal) and, where it loads, the ids
                                                        of `encode(text)` for the texts listed

Most are a small hand-made unigram model (sentencepiece_model_pb2) with one thing broken: a
precompiled_charsmap built here as a Darts-clone double array (see
Sources/EmbeddingCore/Tokenizer/SentencePiece/DoubleArrayTrie.swift), a piece too long, a score
that is not finite. The expanding ones are Formats/vectors/sentencepiece/tsv-rules/spm.model
with its rule for U+FB01 (ﬁ) rewritten to write 1,000 × "b".

    pip install sentencepiece==0.2.3 protobuf
    python3 Scripts/gen_sentencepiece_hostile.py
"""
import json
import os
import random
import struct
import time

import sentencepiece as spm
from sentencepiece import sentencepiece_model_pb2 as pb

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
OUT = os.path.join(REPO, "Formats/vectors/sentencepiece/hostile")
TSV_RULES = os.path.join(REPO, "Formats/vectors/sentencepiece/tsv-rules/spm.model")

LEAF = 1 << 31
HAS_LEAF = 1 << 8
# An unused unit: a leaf holding value 0, whose label (bit 31 set) no byte matches.
UNUSED = LEAF


def unit(label, offset, has_leaf=False):
    assert offset < (1 << 22)
    return label | (offset << 10) | (HAS_LEAF if has_leaf else 0)


def charsmap(units, strings, trie_size=None):
    trie = struct.pack("<%dI" % len(units), *units)
    size = len(trie) if trie_size is None else trie_size
    return struct.pack("<I", size) + trie + strings


def chain(length, leaf_every=1):
    """A trie of keys "a", "aa", ... (every `leaf_every`-th is a key), each with value 0, packed
    into 1,024 units: node k's children's base is B(k) = 256 + 2k (even), so its child for "a"
    sits at B(k) ^ 0x61 (odd) and its leaf at B(k) itself, and no two slots meet."""
    assert 256 + 2 * length + 0x80 < 1024
    units = [UNUSED] * 1024
    base = lambda k: 256 + 2 * k
    units[0] = unit(0, base(0))
    for k in range(1, length + 1):
        position = base(k - 1) ^ 0x61
        leaf = k % leaf_every == 0
        units[position] = unit(0x61, position ^ base(k), leaf)
        if leaf:
            units[base(k)] = LEAF | 0
    return units


def one_rule(value=0):
    """The rule "a" → strings[value]: root offset 0x80, "a" at 0xE1, its leaf at 0xF1."""
    units = [UNUSED] * 256
    units[0] = unit(0, 0x80)
    units[0xE1] = unit(0x61, 0x10, True)
    units[0xF1] = LEAF | value
    return units


def self_loop():
    """one_rule, and under "a" a unit that leads to itself on "a": any run of "a" is walked to
    its end from every position (no key ends there, so the walk finds nothing more)."""
    units = one_rule()
    units[0x90] = unit(0x61, 0x61)  # 0xE1 ^ 0x10 ^ 0x61 = 0x90; 0x90 ^ 0x61 ^ 0x61 = 0x90
    return units


def base_model(pieces=None, charsmap_blob=None):
    m = pb.ModelProto()
    for piece, score, kind in pieces or [("<unk>", 0, 2), ("\u2581", -1, 1), ("a", -2, 1), ("b", -2, 1), ("X", -2, 1), ("A", -2, 1)]:
        p = m.pieces.add()
        p.piece, p.score, p.type = piece, score, kind
    m.trainer_spec.model_type = 1
    m.normalizer_spec.name = "hostile"
    m.normalizer_spec.add_dummy_prefix = True
    m.normalizer_spec.remove_extra_whitespaces = True
    m.normalizer_spec.escape_whitespaces = True
    if charsmap_blob is not None:
        m.normalizer_spec.precompiled_charsmap = charsmap_blob
    return m


def with_piece(piece, score=-3.0, kind=1):
    m = base_model()
    p = m.pieces.add()
    p.piece, p.score, p.type = piece, score, kind
    return m


def with_score(index, score):
    m = base_model()
    m.pieces[index].score = score
    return m


def leaf_value_position(units, key):
    """The unit that holds key's value (darts' exactMatchSearch)."""
    offset = lambda u: (u >> 10) << ((u & (1 << 9)) >> 6)
    position = offset(units[0])
    for byte in key:
        position ^= byte
        assert units[position] & (LEAF | 0xFF) == byte, "no such key"
        position ^= offset(units[position])
    return position


def expanding(extra_pieces=()):
    """tsv-rules with the rule for ﬁ writing 1,000 × "b" (sentencepiece loads it)."""
    m = pb.ModelProto()
    m.ParseFromString(open(TSV_RULES, "rb").read())
    blob = m.normalizer_spec.precompiled_charsmap
    size = struct.unpack("<I", blob[:4])[0]
    units = list(struct.unpack("<%dI" % (size // 4), blob[4:4 + size]))
    strings = blob[4 + size:]
    units[leaf_value_position(units, "\ufb01".encode())] = LEAF | len(strings)
    m.normalizer_spec.precompiled_charsmap = charsmap(units, strings + b"b" * 1000 + b"\0")
    for piece, score in extra_pieces:
        p = m.pieces.add()
        p.piece, p.score, p.type = piece, score, 1
    return m


# Long pieces of "a" and "b" in no pattern, so that the lattice's walk from most positions of
# a text made of one is short (a run of one letter would make the test itself quadratic).
RANDOM = random.Random(22)
LONG = "".join(RANDOM.choice("ab") for _ in range(8000))

missing_leaf = one_rule()
missing_leaf[0xF1] = unit(0x62, 0)  # "a" says it has a leaf; the unit there is not one
value_past = one_rule(value=5)
child_past = one_rule()
child_past[0xE1] = unit(0x61, 0x1000, True)
root_leaf = one_rule()
root_leaf[0] = unit(0, 0x80, True)

# name: (model, texts to encode where sentencepiece loads it, as (text, times repeated))
MODELS = {
    "charsmap-self-loop": (base_model(charsmap_blob=charsmap(self_loop(), b"X\0")), [("a", 20000)]),
    "charsmap-trie-size-1020": (base_model(charsmap_blob=charsmap(one_rule()[:255], b"X\0")), []),
    "charsmap-unterminated": (base_model(charsmap_blob=charsmap(one_rule(), b"X")), []),
    "charsmap-no-strings": (base_model(charsmap_blob=charsmap(one_rule(), b"")), []),
    "charsmap-value-past-strings": (base_model(charsmap_blob=charsmap(value_past, b"X\0")), []),
    "charsmap-child-past-end": (base_model(charsmap_blob=charsmap(child_past, b"X\0")), []),
    "charsmap-root-has-leaf": (base_model(charsmap_blob=charsmap(root_leaf, b"X\0")), []),
    "charsmap-missing-leaf": (base_model(charsmap_blob=charsmap(missing_leaf, b"X\0")), [("a", 1), ("ab", 1)]),
    "charsmap-rule-of-300-bytes": (base_model(charsmap_blob=charsmap(chain(300, leaf_every=300), b"X\0")), [("a", 300)]),
    # 33 rules "a" … "a"×33: sentencepiece keeps the first 32 matches, so "a"×33 is X X.
    "charsmap-33-nested-rules": (base_model(charsmap_blob=charsmap(chain(33), b"X\0")), [("a", 32), ("a", 33), ("a", 40)]),
    # User-defined symbols "A"×2 … "A"×70: PrefixMatcher keeps the first 64 matches, so the
    # normalizer protects "A"×65 and the charsmap (A → a) rewrites the 66th.
    "user-symbols-64-matches": (None, [("A", 64), ("A", 65), ("A", 66)]),
    "piece-of-7999-bytes": (with_piece(LONG[:7999]), [(LONG[:7999], 1), (LONG, 1)]),
    "piece-of-8000-bytes": (with_piece(LONG), []),
    "user-symbol-of-64000-bytes": (with_piece("b" * 64000, 0, 4), []),
    "score-nan": (with_score(2, float("nan")), []),
    "score-inf": (with_score(0, float("inf")), []),
    "score-minus-inf": (with_score(3, float("-inf")), []),
    "expanding-rule": (expanding(), [("\ufb01", 1), ("a \ufb01 b", 1), ("\ufb01", 20000), ("\ufb01 ", 20000)]),
    "expanding-rule-bb": (expanding([("bb", -1.0)]), [("\ufb01", 1), ("\ufb01", 3)]),
}


def user_symbols():
    m = pb.ModelProto()
    m.ParseFromString(open(TSV_RULES, "rb").read())
    for k in range(2, 71):
        p = m.pieces.add()
        p.piece, p.type = "A" * k, 4
    return m


def main():
    os.makedirs(OUT, exist_ok=True)
    expected = {"sentencepiece_version": spm.__version__, "models": {}}
    for name, (model, texts) in MODELS.items():
        model = model or user_symbols()
        data = model.SerializeToString()
        with open(os.path.join(OUT, name + ".model"), "wb") as f:
            f.write(data)
        entry = {}
        try:
            sp = spm.SentencePieceProcessor(model_proto=data)
        except Exception as error:  # noqa: BLE001 - the refusal is the datum
            entry["sentencepiece"] = str(error).strip().splitlines()[-1]
        else:
            entry["sentencepiece"] = "loads"
            entry["texts"] = [{"repeat": text, "times": times} for text, times in texts]
            entry["ids"], entry["seconds"] = [], []
            for unit_text, times in texts:
                text = unit_text * times
                start = time.time()
                ids = sp.encode(text)
                entry["seconds"].append(round(time.time() - start, 2))
                # Long results are kept as their first 64 ids and their count.
                entry["ids"].append(ids if len(ids) <= 64 else {"first": ids[:64], "count": len(ids)})
        expected["models"][name] = entry
        print(name, len(data), "bytes:", entry["sentencepiece"], entry.get("seconds", ""))
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
