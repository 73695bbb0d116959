"""Writes the SentencePiece tokenizer fixtures, with the `sentencepiece` library as the oracle:

  Formats/vectors/sentencepiece/MODEL/spm.model    small unigram models trained here on a
                                                   generated multilingual text (DeBERTa-v3's ids:
                                                   [PAD]=0 [CLS]=1 [SEP]=2 [UNK]=3)
  Formats/vectors/sentencepiece/MODEL/tokenizer_config.json
  Formats/vectors/sentencepiece/expected.json      the hard corpus and, per model, the ids of
                                                   `SentencePieceProcessor.encode(text)` and the
                                                   DeBERTa-v3 wrap of them

The wrap: transformers 5 has no sentencepiece-backed DebertaV2Tokenizer any more (its
DebertaV2Tokenizer is the converted `tokenizers` one, which drops nmt_nfkc for some inputs), so
it is built here as transformers 4's slow tokenizer did: split the text at the special tokens
typed in it ([CLS] [SEP] [UNK] [PAD] [MASK], leftmost, longest first), encode each piece of text
with sentencepiece, and put [CLS] before and [SEP] after; [MASK] is an added token with the id
after the model's last piece (as deberta-v3's added_tokens.json has it: 128000), or the model's
own id when it has a [MASK] piece (the user-symbols model).

    python3 Scripts/gen_sentencepiece_vectors.py
"""
import io
import json
import os
import random

import sentencepiece as spm

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
OUT = os.path.join(REPO, "Formats/vectors/sentencepiece")

# name: (normalization rule, byte fallback, extra trainer options)
MODELS = {
    "nfkc": ("nmt_nfkc", False, {}),
    "nfkc-bytes": ("nmt_nfkc", True, {}),
    "identity": ("identity", False, {"remove_extra_whitespaces": False}),
    "identity-bytes": ("identity", True, {"add_dummy_prefix": False}),
    # A handful of rules of its own (written to rules.tsv): a small charsmap, whose model is a
    # fuzzing seed too; rules of several characters and rules that delete.
    "tsv-rules": (None, True, {}),
    "user-symbols": ("nmt_nfkc_cf", False, {"user_defined_symbols": ["<br>", "\ufb01x", "@@", "[MASK]"],
                                            "treat_whitespace_as_suffix": True}),
}

# source code points → replacement code points (none: delete), sentencepiece's TSV form.
RULES = [
    ("41", "61"), ("48", "68"), ("FB01", "66 69"), ("FF21", "61"), ("A0", "20"), ("3000", "20"), ("200B", ""),
    ("65 301", "E9"), ("E9", "65 301"), ("2581", "5F"), ("31 32 33", "4F 4E 45"), ("9", "20"), ("A", "20"),
]

SPECIAL = ["[CLS]", "[SEP]", "[UNK]", "[PAD]", "[MASK]"]

HARD = [
    "Hello world", "", " ", "   ", "\t\n", "hello", "HELLO WORLD!", "The quick brown fox jumps over the lazy dog.",
    "  leading and trailing spaces  ", "a    b     c", "tabs\tand\nnewlines\r\nhere", "unaffable tokenization",
    "Wait...what?!", "(nested [brackets] {and} <angles>)", "#hashtag $100 %50 ^caret &amp; *star",
    # accents and combining marks
    "Caf\u00e9 na\u00efve r\u00e9sum\u00e9", "Cr\u00e8me br\u00fbl\u00e9e", "cafe\u0301 e\u0301", "\u00c5ngstr\u00f6m \u212b \u212a",
    "Stra\u00dfe \u1e9e", "\u0141\u00f3d\u017a \u0130stanbul", "Ti\u1ebfng Vi\u1ec7t c\u00f3 d\u1ea5u", "\u0301 leading mark",
    "Z\u0351\u036b\u0343\u036a\u0302\u036b\u033d\u034f\u0334\u0319\u0324\u031eA\u036b\u0357\u0334\u0362\u0335\u031cL\u0368\u0367",
    # scripts
    "\u041f\u0440\u0438\u0432\u0435\u0442, \u043c\u0438\u0440! \u0415\u0451\u0436", "\u0395\u03bb\u03bb\u03b7\u03bd\u03b9\u03ba\u03ac \u03a3\u03af\u03c3\u03c5\u03c6\u03bf\u03c2",
    "\u0645\u0631\u062d\u0628\u0627 \u0628\u0627\u0644\u0639\u0627\u0644\u0645", "\u0627\u0644\u0639\u064e\u0631\u064e\u0628\u0650\u064a\u0651\u064e\u0629 \ufefb \ufdfa",
    "\u0928\u092e\u0938\u094d\u0924\u0947 \u0926\u0941\u0928\u093f\u092f\u093e", "\u0915\u093c\u0928\u0947 \u0958",
    "\u4f60\u597d\u4e16\u754c", "\u6211\u7231\u5317\u4eac\u5929\u5b89\u95e8\u3002", "\u65e5\u672c\u8a9e\u306e\u30c6\u30ad\u30b9\u30c8",
    "\uff76\uff80\uff76\uff85 \u30ab\u30bf\u30ab\u30ca", "\ud55c\uad6d\uc5b4 \ud14d\uc2a4\ud2b8", "\u4e2d\u6587English\u6df7\u5408",
    "\U00020000\U0002a6d6 ext B", "\u0e2a\u0e27\u0e31\u0e2a\u0e14\u0e35", "\u05e9\u05dc\u05d5\u05dd",
    # emoji
    "\U0001f600 \U0001f44d\U0001f3fd", "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466 family",
    "\U0001f3f3\ufe0f\u200d\U0001f308 flag", "\U0001f1ef\U0001f1f5 \U0001f1fa\U0001f1f8", "\u2764\ufe0f love",
    # full width, ligatures, compatibility forms
    "\uff46\uff55\uff4c\uff4c\uff57\uff49\uff44\uff54\uff48\u3000\uff21\uff22\uff23\u3000\uff11\uff12\uff13\uff01",
    "\ufb01 \ufb02 \ufb00 \ufb03 o\ufb00ice", "\u2460\u2461\u2462 \u00bd \u00b2 \u2122 \u2116", "\u3231 \u3392 \u337b",
    "\u1d2c\u1d2e \u2090 \u00aa", "x\u00b2 + y\u00b2 = z\u00b2",
    # whitespace and invisible characters
    "no\u00a0break\u00a0space", "ideographic\u3000space", "thin\u2009space en\u2002space em\u2003space",
    "zero\u200bwidth\u200cnon\u200djoiner", "soft\u00adhyphen", "bom\ufeffinside", "word\u2060joiner",
    "line\u2028separator\u2029para", "\u0000nul\u0001soh\u007fdel", "bell\u0007 esc\u001b[0m", "\u0085next line",
    "a" + " " * 20 + "b", " " * 10 + "lead", "trail" + " " * 10, "\u3000\u3000ideographic lead",
    # the meta symbol itself and lookalikes
    "\u2581", "\u2581\u2581\u2581", "\u2581Hello \u2581world", "a\u2581b", "_under_score_",
    # long words
    "a" * 300, "supercalifragilisticexpialidocious" * 8, "\u4e00" * 100, "x" + "\u0301" * 40,
    "\U0001f600" * 30,
    # special tokens typed in the text
    "[CLS] Hello [SEP]", "Hello [MASK] world", "[MASK][MASK]", "a[MASK]b", "[UNK] unknown", "[PAD][PAD] pad",
    "[cls] lower case is text", "[ MASK ]", "[CLS", "<br>line<br>break", "\ufb01xed @@ markers", "Hello, [MASK]!",
    # numbers and mixed
    "3.14159 2,718 1e-10 0x1F", "2024-05-17T12:34:56Z", "https://example.com/path?q=1&r=2", "user@example.org",
    "C++ and C# and F#", "\u20ac100 \u00a350 \u00a5200 \u20b9300",
    # replacement character and private use
    "\ufffd replacement", "\ue000 private", "\U000f0000 plane 15", "\uffff noncharacter",
]

# Input that is not UTF-8, given to sentencepiece as bytes (hex in the fixture).
INVALID_UTF8 = [
    b"\xff", b"abc\xffdef", b"\xc3", b"caf\xc3", b"\xe2\x82", b"\xed\xa0\x80surrogate", b"\xc0\xafoverlong",
    b"\xf4\x90\x80\x80beyond", b"\x80\x80\x80", b"ok \xf0\x9f\x98 cut",
]


def training_text(rng):
    """A few thousand lines mixing the scripts of the hard corpus, so that each has pieces."""
    words = ("the of and to in is was for on that with as by at from his her they be this have not are "
             "world hello model token piece unigram language sentence encoder vector number quick brown fox "
             "jumps over lazy dog caf\u00e9 na\u00efve r\u00e9sum\u00e9 cr\u00e8me br\u00fbl\u00e9e stra\u00dfe "
             "\u00e5ngstr\u00f6m tokenization unaffable").split()
    words += ["\u043f\u0440\u0438\u0432\u0435\u0442", "\u043c\u0438\u0440", "\u0441\u043b\u043e\u0432\u043e",
              "\u03ba\u03b1\u03bb\u03b7\u03bc\u03ad\u03c1\u03b1", "\u03ba\u03cc\u03c3\u03bc\u03bf\u03c2",
              "\u0645\u0631\u062d\u0628\u0627", "\u0627\u0644\u0639\u0627\u0644\u0645", "\u0643\u062a\u0627\u0628",
              "\u0928\u092e\u0938\u094d\u0924\u0947", "\u0926\u0941\u0928\u093f\u092f\u093e", "\u092d\u093e\u0937\u093e",
              "\u4f60\u597d", "\u4e16\u754c", "\u5317\u4eac", "\u65e5\u672c\u8a9e", "\u30c6\u30ad\u30b9\u30c8",
              "\ud55c\uad6d\uc5b4", "\U0001f600", "\U0001f44d", "<br>", "@@"]
    # Made-up words from syllables of each script, so that the vocabulary has pieces to learn.
    syllables = [["ka", "to", "ri", "men", "sa", "lo", "qu", "ex", "ing", "tion", "st", "er"],
                 ["\u043a\u0430", "\u0442\u043e", "\u0440\u0438", "\u043c\u0435\u043d", "\u0441\u0442\u0432\u043e"],
                 ["\u03ba\u03b1", "\u03c4\u03bf", "\u03c1\u03b9", "\u03bb\u03bf"],
                 ["\u0643\u0627", "\u062a\u0648", "\u0631\u064a", "\u0644\u0627"],
                 ["\u0915\u093e", "\u0924\u094b", "\u0930\u093f", "\u0938\u094d\u0924"],
                 [chr(c) for c in range(0x4e00, 0x4e00 + 120)] + [chr(c) for c in range(0x30a2, 0x30f3)]]
    for _ in range(1500):
        group = rng.choice(syllables)
        words.append("".join(rng.choice(group) for _ in range(rng.randint(1, 4))))
    lines = []
    for _ in range(6000):
        n = rng.randint(3, 12)
        line = " ".join(rng.choice(words) for _ in range(n))
        if rng.random() < 0.3:
            line = line.capitalize()
        if rng.random() < 0.2:
            line += rng.choice([".", "!", "?", ",", " 42", " 3.14", " 2024"])
        lines.append(line)
    return lines


def train(name, rule, byte_fallback, extra, lines):
    model = io.BytesIO()
    options = dict(
        sentence_iterator=iter(lines), model_writer=model, model_type="unigram", vocab_size=400,
        normalization_rule_name=rule, byte_fallback=byte_fallback, character_coverage=0.9995,
        pad_id=0, bos_id=1, eos_id=2, unk_id=3, pad_piece="[PAD]", bos_piece="[CLS]", eos_piece="[SEP]",
        unk_piece="[UNK]", num_threads=1, seed_sentencepiece_size=20000, minloglevel=2,
    )
    if byte_fallback:
        options["vocab_size"] = 700
    if rule is None:
        del options["normalization_rule_name"]
        rules = os.path.join(OUT, "rules.tsv")
        with open(rules, "w") as f:
            for source, target in RULES:
                f.write(f"{source}\t{target}\n")
        options["normalization_rule_tsv"] = rules
    options.update(extra)
    spm.SentencePieceTrainer.train(**options)
    return model.getvalue()


def split_special(text):
    """Leftmost-longest split at the special tokens, as transformers' added-token trie does."""
    pieces, start, index = [], 0, 0
    while index < len(text):
        match = max((t for t in SPECIAL if text.startswith(t, index)), key=len, default=None)
        if match:
            if start < index:
                pieces.append(("text", text[start:index]))
            pieces.append(("special", match))
            index += len(match)
            start = index
        else:
            index += 1
    if start < len(text):
        pieces.append(("text", text[start:]))
    return pieces


def wrap(sp, text, mask_id, max_length=None):
    body = []
    for kind, value in split_special(text):
        if kind == "special":
            body.append(mask_id if value == "[MASK]" else sp.piece_to_id(value))
        else:
            body.extend(sp.encode(value))
    if max_length is not None:
        body = body[:max(0, max_length - 2)]
    return [sp.piece_to_id("[CLS]")] + body + [sp.piece_to_id("[SEP]")]


def main():
    rng = random.Random(9)
    lines = training_text(rng)
    expected = {"texts": HARD, "invalid_utf8": [b.hex() for b in INVALID_UTF8], "models": {}}
    for name, (rule, byte_fallback, extra) in MODELS.items():
        data = train(name, rule, byte_fallback, extra, lines)
        folder = os.path.join(OUT, name)
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "spm.model"), "wb") as f:
            f.write(data)
        with open(os.path.join(folder, "tokenizer_config.json"), "w") as f:
            json.dump({"do_lower_case": False, "vocab_type": "spm"}, f)
            f.write("\n")
        sp = spm.SentencePieceProcessor(model_proto=data)
        # An added token takes the model's id when the model has the piece (transformers'
        # _add_tokens), else the next free id.
        mask_id = sp.piece_to_id("[MASK]")
        if sp.id_to_piece(mask_id) != "[MASK]":
            mask_id = sp.get_piece_size()
        assert [sp.id_to_piece(i) for i in range(4)] == ["[PAD]", "[CLS]", "[SEP]", "[UNK]"]
        expected["models"][name] = {
            "piece_count": sp.get_piece_size(),
            "mask_id": mask_id,
            "ids": [sp.encode(t) for t in HARD],
            "pieces": [sp.encode(t, out_type=str) for t in HARD],
            "invalid_utf8_ids": [sp.encode(b) for b in INVALID_UTF8],
            "wrapped": [wrap(sp, t, mask_id) for t in HARD],
            "wrapped_max_length_8": [wrap(sp, t, mask_id, 8) for t in HARD],
        }
        print(name, len(data), "bytes,", sp.get_piece_size(), "pieces")
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
