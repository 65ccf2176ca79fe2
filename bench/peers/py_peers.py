#!/usr/bin/env python3
"""Single-thread speed of Python Arabic text tools over a text file (one document per line).

Tools: PyStemmer (Snowball "arabic") over whitespace words, pyarabic.araby.tokenize per line,
and NLTK's ISRIStemmer over whitespace words. ISRI is slow, so it runs over the first lines
holding at least --isri-words words (whole lines, default 300,000 words).

"Words" are the whitespace-separated words of the input (str.split(); on the text written by
bench/snn_extract.py this is the same as splitting on Unicode White_Space). MB is 10^6 bytes of
the UTF-8 input lines processed, newlines included. The file is read into memory before timing;
timed work includes splitting into words. For each tool the median of --passes passes is used.

Prints one markdown row `| tool | words/s | MB/s |` per tool on stdout; details on stderr.
Tools whose module is missing are reported on stderr and skipped (exit status 3 if any was).
"""

import argparse
import importlib.metadata
import statistics
import sys
import time


def version(dist):
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "?"


def take_words(lines, limit):
    """The shortest prefix of lines holding at least `limit` words (all lines if limit is 0)."""
    if not limit:
        return lines
    out, n = [], 0
    for line in lines:
        if n >= limit:
            break
        out.append(line)
        n += len(line.split())
    return out


def run_pystemmer(lines):
    import Stemmer

    stemmer = Stemmer.Stemmer("arabic")

    def work():
        n = 0
        for line in lines:
            n += len(stemmer.stemWords(line.split()))
        return n

    return f"PyStemmer {version('PyStemmer')} Snowball arabic, whitespace words", work


def run_pyarabic(lines):
    from pyarabic import araby

    def work():
        n = 0
        for line in lines:
            n += len(araby.tokenize(line))
        return n

    return f"pyarabic {version('PyArabic')} araby.tokenize", work


def run_isri(lines):
    from nltk.stem.isri import ISRIStemmer

    stemmer = ISRIStemmer()

    def work():
        n = 0
        for line in lines:
            for w in line.split():
                stemmer.stem(w)
                n += 1
        return n

    return f"NLTK {version('nltk')} ISRIStemmer, whitespace words", work


TOOLS = {
    "pystemmer": run_pystemmer,
    "pyarabic": run_pyarabic,
    "isri": run_isri,
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("textfile")
    ap.add_argument(
        "--tools",
        default="pystemmer,pyarabic,isri",
        help="comma-separated subset of " + ",".join(TOOLS),
    )
    ap.add_argument("--passes", type=int, default=3, help="timed passes per tool (median used)")
    ap.add_argument(
        "--max-words",
        type=int,
        default=0,
        help="limit PyStemmer and pyarabic to the first lines holding this many words (0: all)",
    )
    ap.add_argument("--isri-words", type=int, default=300_000)
    args = ap.parse_args()
    if args.passes < 1:
        ap.error("--passes must be >= 1")

    with open(args.textfile, encoding="utf-8") as f:
        all_lines = f.read().split("\n")
    if all_lines and all_lines[-1] == "":
        all_lines.pop()

    skipped = False
    for name in args.tools.split(","):
        if name not in TOOLS:
            ap.error(f"unknown tool {name!r}")
        limit = args.isri_words if name == "isri" else args.max_words
        lines = take_words(all_lines, limit)
        words = sum(len(line.split()) for line in lines)
        nbytes = sum(len(line.encode("utf-8")) + 1 for line in lines)
        try:
            label, work = TOOLS[name](lines)
        except ImportError as e:
            print(f"py_peers: skipping {name}: {e}", file=sys.stderr)
            skipped = True
            continue
        if limit:
            label += f" (first {words:,} words)"
        times, tokens = [], None
        for i in range(args.passes):
            t0 = time.perf_counter()
            n = work()
            times.append(time.perf_counter() - t0)
            if tokens is not None and n != tokens:
                raise SystemExit(f"py_peers: {name} passes disagree ({n} vs {tokens} tokens)")
            tokens = n
            print(f"{name} pass {i + 1}: {times[-1]:.3f} s", file=sys.stderr)
        med = statistics.median(times)
        print(
            f"{label}: {len(lines)} lines, {words} words, {nbytes} bytes, {tokens} output tokens;"
            f" median of {args.passes} passes {med:.3f} s",
            file=sys.stderr,
        )
        print(f"| {label} (Python {sys.version.split()[0]}, 1 thread) | {words / med:.0f} | {nbytes / med / 1e6:.1f} |",
              flush=True)
    sys.exit(3 if skipped else 0)


if __name__ == "__main__":
    main()
