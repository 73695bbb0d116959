"""The `sentencepiece` library's side of Benchmarks/sentencepiece.sh: writes the sentences
(10,000 by default) when asked, and times `SentencePieceProcessor.encode` on each, one thread.

    python Benchmarks/sentencepiece_python.py write SENTENCES_FILE [COUNT]
    python Benchmarks/sentencepiece_python.py time SPM_MODEL SENTENCES_FILE [ROUNDS]
"""
import random
import sys
import time


def write(path, count=10000):
    rng = random.Random(2024)
    words = ("the of and to in is was for on that with as by at from his her they be this have not are world hello "
             "model token piece unigram language sentence encoder vector number quick brown fox jumps over lazy dog "
             "caf\u00e9 na\u00efve r\u00e9sum\u00e9 stra\u00dfe \u043f\u0440\u0438\u0432\u0435\u0442 \u043c\u0438\u0440 "
             "\u4f60\u597d \u4e16\u754c \u65e5\u672c\u8a9e \u0928\u092e\u0938\u094d\u0924\u0947 \u0645\u0631\u062d\u0628\u0627 "
             "tokenization unaffable 2024 3.14 \U0001f600 \uff21\uff22\uff23 \ufb01ne").split()
    with open(path, "w", encoding="utf-8") as f:
        lines = []
        for _ in range(count):
            line = " ".join(rng.choice(words) for _ in range(rng.randint(5, 30)))
            lines.append(line.capitalize() + rng.choice([".", "!", "?", ""]))
        f.write("\n".join(lines))


def timed(model, path, rounds=5):
    import sentencepiece as spm
    sp = spm.SentencePieceProcessor(model_file=model, num_threads=1)
    sentences = open(path, encoding="utf-8").read().split("\n")
    tokens = sum(len(sp.encode(s)) for s in sentences)
    start = time.perf_counter()
    for _ in range(rounds):
        for s in sentences:
            sp.encode(s)
    per_round = (time.perf_counter() - start) / rounds
    print(f"loop   {len(sentences)} sentences {tokens} tokens  {per_round * 1000:.1f} ms/round  "
          f"{len(sentences) / per_round:.0f} sentences/s  {tokens / per_round:.0f} tokens/s")
    # The batch call loops in C++ (num_threads=1: one thread), without per-call Python overhead.
    start = time.perf_counter()
    for _ in range(rounds):
        sp.encode(sentences, num_threads=1)
    per_round = (time.perf_counter() - start) / rounds
    print(f"batch  {len(sentences)} sentences {tokens} tokens  {per_round * 1000:.1f} ms/round  "
          f"{len(sentences) / per_round:.0f} sentences/s  {tokens / per_round:.0f} tokens/s")


if __name__ == "__main__":
    if sys.argv[1] == "write":
        write(sys.argv[2], *(int(a) for a in sys.argv[3:]))
    else:
        timed(sys.argv[2], sys.argv[3], *(int(a) for a in sys.argv[4:]))
