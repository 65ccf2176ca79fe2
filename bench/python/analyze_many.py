#!/usr/bin/env python3
"""Throughput of qalam.analyze_many with 1 and 2 threads (and of a plain analyze loop).

Reads SaudiNewsNet articles (zips or JSON/JSONL files; default: the first days of
../shared/data/saudinewsnet relative to the repo root), analyses them with the installed
`qalam` wheel and prints docs/s per setting and the speed-up of the second thread.

    pip install ./bindings/python           # a release build: what users get
    python bench/python/analyze_many.py --docs 4000 --passes 3
"""

import argparse
import json
import sys
import time
import zipfile
from pathlib import Path

import qalam

ROOT = Path(__file__).resolve().parents[2]
DEFAULT = ROOT.parent / "shared" / "data" / "saudinewsnet"


def records(path: Path):
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as z:
            for name in sorted(z.namelist()):
                if name.endswith(".json"):
                    data = json.loads(z.read(name))
                    yield from data if isinstance(data, list) else [data]
    elif path.suffix == ".jsonl":
        with open(path, encoding="utf-8") as f:
            yield from (json.loads(line) for line in f if line.strip())
    else:
        data = json.loads(path.read_text(encoding="utf-8"))
        yield from data if isinstance(data, list) else [data]


def texts(paths, limit):
    out = []
    for p in paths:
        for r in records(p):
            body = r.get("content") or r.get("body") or r.get("text")
            if isinstance(body, str) and body.strip():
                out.append(body)
                if len(out) == limit:
                    return out
    return out


def best(passes, run):
    times = []
    for _ in range(passes):
        t = time.perf_counter()
        run()
        times.append(time.perf_counter() - t)
    return min(times)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("inputs", nargs="*", type=Path)
    ap.add_argument("--docs", type=int, default=4000)
    ap.add_argument("--passes", type=int, default=3)
    args = ap.parse_args()
    paths = args.inputs or sorted(DEFAULT.glob("*.zip"))
    if not paths:
        sys.exit(f"no inputs (and no {DEFAULT})")
    docs = texts(paths, args.docs)
    mb = sum(len(t.encode()) for t in docs) / 1e6
    print(f"{len(docs)} articles, {mb:.1f} MB, qalam {qalam.__version__}")
    qalam.analyze_many(docs[:50])  # load the models
    rows = [
        ("analyze loop", lambda: [qalam.analyze(t) for t in docs]),
        ("analyze_many threads=1", lambda: qalam.analyze_many(docs, threads=1)),
        ("analyze_many threads=2", lambda: qalam.analyze_many(docs, threads=2)),
    ]
    rate = {}
    for name, run in rows:
        s = best(args.passes, run)
        rate[name] = len(docs) / s
        print(f"{name:26} {s:7.2f} s  {rate[name]:8.0f} docs/s")
    print(f"speed-up of 2 threads: {rate['analyze_many threads=2'] / rate['analyze_many threads=1']:.2f}x")


if __name__ == "__main__":
    main()
