#!/usr/bin/env python3
"""Which folder of Sources/WeightsKit uses which: a folder uses another when one of its files
names a type or function declared at top level there (docs/layout.md lists the folders).
Usage: python3 Scripts/folder_dependencies.py [Sources/WeightsKit]"""
import os, re, sys, collections
root = sys.argv[1] if len(sys.argv) > 1 else "Sources/WeightsKit"
owner = {}
files = {}
for dirpath, _, names in os.walk(root):
    for name in names:
        if not name.endswith(".swift"): continue
        path = os.path.join(dirpath, name)
        folder = os.path.relpath(dirpath, root).split(os.sep)[0]
        text = open(path, encoding="utf-8").read()
        files[path] = (folder, text)
        # top-level declarations only: no leading indentation
        for match in re.finditer(r'^(?:public |package |internal |private |fileprivate |final |indirect |@\w+(?:\([^)]*\))? )*(?:struct|enum|class|protocol|typealias|actor|func)\s+([A-Za-z_]\w*)', text, re.M):
            owner.setdefault(match.group(1), folder)
edges = collections.defaultdict(set)
for path, (folder, text) in files.items():
    code = re.sub(r'//.*', '', text)
    for word in set(re.findall(r'\b[A-Za-z_]\w*\b', code)):
        target = owner.get(word)
        if target and target != folder:
            edges[folder].add((target, word))
for folder in sorted(set(f for f, _ in files.values())):
    targets = collections.defaultdict(list)
    for target, word in sorted(edges[folder]): targets[target].append(word)
    print(f"{folder:14} -> " + ("; ".join(f"{t} ({', '.join(ws[:4])}{', …' if len(ws) > 4 else ''})" for t, ws in sorted(targets.items())) or "(nothing)"))
