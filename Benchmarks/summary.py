"""Tables of `make bench`, from the raw files the benchmark scripts leave in .build/bench-results.

    python3 summary.py encoder RAW      one encoder comparison (Benchmarks/encoder.sh)
    python3 summary.py convert RAW      the conversion rounds (Benchmarks/convert.sh)
    python3 summary.py all [DIR]        every figure present, side by side with its peer, as one
                                        Markdown table, also written to DIR/summary.md

Standard library only, so it runs without the benchmark venv.
"""
import json
import os
import statistics
import sys

RESULTS = ".build/bench-results"


def spread(values, unit="", digits=1):
    """median (min–max)"""
    if not values:
        return "—"
    f = f"{{:.{digits}f}}"
    return f"{f.format(statistics.median(values))}{unit} ({f.format(min(values))}–{f.format(max(values))})"


def ratio(values):
    return spread(values, "×", 2)


# encoder: "swift 8x32 12.5", "torch 8x32 15.0", "swift peak_rss_mb 210", "check max_abs_diff 3e-6"
def read_encoder(path):
    times, peaks, notes = {}, {}, []
    order = []
    with open(path) as f:
        for line in f:
            fields = line.split()
            if len(fields) == 3 and fields[0] in ("swift", "torch"):
                side, what, value = fields
                if what == "peak_rss_mb":
                    peaks.setdefault(side, []).append(float(value))
                else:
                    if what not in order:
                        order.append(what)
                    times.setdefault((side, what), []).append(float(value))
            elif fields[:1] == ["check"]:
                notes.append(f"max abs difference of the last hidden states vs transformers (8×32): {fields[2]}")
            elif fields[:1] == ["note"]:
                notes.append(" ".join(fields[1:]))
    rows = []
    for what in order:
        swift, torch = times.get(("swift", what), []), times.get(("torch", what), [])
        ratios = [s / t for s, t in zip(swift, torch)]
        rows.append((what, swift, torch, ratios))
    return rows, peaks, notes


def encoder_table(path):
    rows, peaks, notes = read_encoder(path)
    print(f"{'batch':8s} {'swift ms':>26s} {'torch ms':>26s} {'swift/torch':>24s}")
    for what, swift, torch, ratios in rows:
        print(f"{what:8s} {spread(swift):>26s} {spread(torch):>26s} {ratio(ratios):>24s}")
    print("peak RSS MB: " + ", ".join(f"{side} {max(v):.0f}" for side, v in peaks.items()))
    for note in notes:
        print(note)


# convert: "ROUND LABEL SECONDS KB" per run; cp is the reference of its own round
def read_convert(path):
    runs = {}
    with open(path) as f:
        for line in f:
            fields = line.split()
            if len(fields) == 4 and fields[0].isdigit():
                runs.setdefault(fields[1], {})[int(fields[0])] = (float(fields[2]), float(fields[3]) / 1024)
    cp = runs.get("cp", {})
    table = []
    for label, by_round in runs.items():
        seconds = [s for s, _ in by_round.values()]
        ratios = [by_round[r][0] / cp[r][0] for r in by_round if r in cp and cp[r][0] > 0]
        table.append((label, seconds, ratios, max(kb for _, kb in by_round.values())))
    return table


def convert_table(path):
    print(f"{'what':24s} {'seconds':>22s} {'x cp':>24s} {'peak MB':>8s}")
    for label, seconds, ratios, peak in read_convert(path):
        print(f"{label:24s} {spread(seconds, '', 3):>22s} {ratio(ratios):>24s} {peak:8.0f}")


def read_inspect(directory):
    """hyperfine exports inspect-*.json: {command: times in ms}"""
    out = {}
    for name in sorted(os.listdir(directory)):
        if name.startswith("inspect") and name.endswith(".json"):
            with open(os.path.join(directory, name)) as f:
                for result in json.load(f)["results"]:
                    out[result["command"]] = [t * 1000 for t in result["times"]]
    rss = os.path.join(directory, "inspect-rss.txt")
    if os.path.exists(rss):
        for line in open(rss):
            name, kb = line.rstrip("\n").split("\t")
            out[name + " rss"] = [float(kb) / 1024]
    return out


def read_micro(path):
    """micro.sh's lines: NAME<TAB>RATE<TAB>UNIT<TAB>P50_US<TAB>THRESHOLD"""
    with open(path) as f:
        return [line.rstrip("\n").split("\t") for line in f if line.count("\t") == 4]


def machine(directory):
    path = os.path.join(directory, "machine.txt")
    return open(path).read().strip() if os.path.exists(path) else ""


def summary(directory):
    lines = [f"# make bench — {machine(directory)}", "",
             "| figure | weights | peer | ratio (weights/peer) | peak RSS MB (weights / peer) |",
             "| --- | --- | --- | --- | --- |"]
    inspect = read_inspect(directory)
    if inspect:
        version = inspect.get("weights --version")
        if version:
            lines.append(f"| `weights --version` (ms) | {spread(version)} | — | — | {max(inspect.get('weights --version rss', [0])):.0f} |")
        for file in ("bert-large-1.34GB", "many-20000"):
            peer = inspect.get(f"python safe_open {file}")
            for flavour in ("", " --json"):
                ours = inspect.get(f"weights inspect{flavour} {file}")
                if not ours:
                    continue
                r = statistics.median(ours) / statistics.median(peer) if peer else None
                peer_text = f"safe_open {spread(peer)}" if peer else "—"
                ratio_text = f"{r:.2f}× ({1 / r:.1f}× faster)" if r else "—"
                rss = f"{max(inspect.get(f'weights inspect{flavour} {file} rss', [0])):.0f} / {max(inspect.get(f'python safe_open {file} rss', [0])):.0f}"
                lines.append(f"| `inspect{flavour}` {file} (ms) | {spread(ours)} | {peer_text} | {ratio_text} | {rss} |")
    convert = os.path.join(directory, "convert.txt")
    if os.path.exists(convert):
        table = read_convert(convert)
        cp = next((row for row in table if row[0] == "cp"), None)
        for label, seconds, ratios, peak in table:
            if label == "cp" or not cp:
                continue
            lines.append(f"| convert {label} 1.34 GB (s) | {spread(seconds, '', 3)} | cp {spread(cp[1], '', 3)} | {ratio(ratios)} | {peak:.0f} / {cp[3]:.0f} |")
    for kind, name in (("bert", "MiniLM-L6"), ("deberta", "DeBERTa-v3-xsmall-shaped")):
        path = os.path.join(directory, f"encoder-{kind}.txt")
        if not os.path.exists(path):
            continue
        rows, peaks, notes = read_encoder(path)
        rss = f"{max(peaks.get('swift', [0])):.0f} / {max(peaks.get('torch', [0])):.0f}" if peaks.get("torch") else f"{max(peaks.get('swift', [0])):.0f} / —"
        for what, swift, torch, ratios in rows:
            peer = f"torch {spread(torch)}" if torch else "— (no torch)"
            lines.append(f"| encoder {name} {what.replace('x', '×')} (ms) | {spread(swift)} | {peer} | {ratio(ratios) if ratios else '—'} | {rss} |")
        for note in notes:
            lines.append(f"| encoder {name}: {note} | | | | |")
    micro = os.path.join(directory, "micro.txt")
    if os.path.exists(micro):
        for name, rate, unit, p50, verdict in read_micro(micro):
            lines.append(f"| micro {name} ({unit}) | {rate} | threshold: {verdict} | — | — |")
    text = "\n".join(lines) + "\n"
    with open(os.path.join(directory, "summary.md"), "w") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "all"
    if command == "encoder":
        encoder_table(sys.argv[2])
    elif command == "convert":
        convert_table(sys.argv[2])
    else:
        summary(sys.argv[2] if len(sys.argv) > 2 else RESULTS)
