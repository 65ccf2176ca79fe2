#!/usr/bin/env python3
"""Turn the SaudiNewsNet zips into flat files the peer benchmarks read.

Two output formats (either or both):

  --text FILE  one article per line: the article's `content` only, with every
               line-breaking character (\\r \\n \\t \\v \\f \\x1c-\\x1f \\x85
               U+2028 U+2029) replaced by a space. Nothing else is changed, so
               "words" (maximal runs of non-whitespace, whitespace being the
               Unicode White_Space property) are the same words as in the
               original content. Used by speed.sh.
  --tsv FILE   one article per line: `id \\t title \\t content`, where id is
               `snn-<zip stem>-<index in that zip's array>` and backslash,
               tab, CR and LF inside title/content are escaped as \\\\ \\t \\r
               \\n. Used by retrieval/lucene.sh for distractor documents.

Inputs are zip files or directories holding them (default:
../shared/data/saudinewsnet relative to the repo root). Zips are read in
sorted file-name order, each holding one JSON array of article objects.
Outputs are written to FILE.tmp and renamed when complete. With --if-stale, nothing is done
when every output already exists and is newer than every input zip. Prints a summary (articles,
words, bytes) on stderr.
"""

import argparse
import json
import os
import re
import sys
import zipfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_SNN = os.path.join(REPO, "..", "shared", "data", "saudinewsnet")

LINE_BREAKS = re.compile("[\r\n\t\x0b\x0c\x1c-\x1f\x85\u2028\u2029]")


def zip_paths(paths):
    """Expand directories to their *.zip files; keep files as given; sort."""
    out = []
    for p in paths:
        if os.path.isdir(p):
            out.extend(
                os.path.join(p, f) for f in os.listdir(p) if f.endswith(".zip")
            )
        else:
            out.append(p)
    return sorted(out, key=os.path.basename)


def up_to_date(outputs, zips):
    """True when every output is a non-empty file newer than every zip."""
    if not zips:
        return False
    newest = max(os.path.getmtime(z) for z in zips)
    return all(
        os.path.isfile(p) and os.path.getsize(p) > 0 and os.path.getmtime(p) > newest
        for p in outputs
    )


def articles(paths):
    """Yield (id, title, content) for every article in the zips."""
    for z in zip_paths(paths):
        stem = os.path.splitext(os.path.basename(z))[0]
        with zipfile.ZipFile(z) as zf:
            for name in sorted(zf.namelist()):
                if not name.endswith(".json"):
                    continue
                arr = json.loads(zf.read(name).decode("utf-8"))
                for i, a in enumerate(arr):
                    yield (
                        f"snn-{stem}-{i}",
                        a.get("title") or "",
                        a.get("content") or "",
                    )


def tsv_escape(s):
    return (
        s.replace("\\", "\\\\")
        .replace("\t", "\\t")
        .replace("\r", "\\r")
        .replace("\n", "\\n")
    )


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("inputs", nargs="*", default=[DEFAULT_SNN])
    ap.add_argument("--text", help="write one article content per line here")
    ap.add_argument("--tsv", help="write id\\ttitle\\tcontent lines here")
    ap.add_argument(
        "--if-stale",
        action="store_true",
        help="do nothing if the outputs exist and are newer than every input zip",
    )
    args = ap.parse_args()
    outputs = [p for p in (args.text, args.tsv) if p]
    if not outputs:
        ap.error("give --text and/or --tsv")
    if args.if_stale and up_to_date(outputs, zip_paths(args.inputs)):
        print(f"snn_extract: {', '.join(outputs)} up to date", file=sys.stderr)
        return

    text_f = open(args.text + ".tmp", "w", encoding="utf-8", newline="\n") if args.text else None
    tsv_f = open(args.tsv + ".tmp", "w", encoding="utf-8", newline="\n") if args.tsv else None
    n = words = text_bytes = 0
    for aid, title, content in articles(args.inputs):
        n += 1
        if text_f:
            line = LINE_BREAKS.sub(" ", content)
            words += len(line.split())
            text_bytes += len(line.encode("utf-8")) + 1
            text_f.write(line)
            text_f.write("\n")
        if tsv_f:
            tsv_f.write(f"{aid}\t{tsv_escape(title)}\t{tsv_escape(content)}\n")
    for f in (text_f, tsv_f):
        if f:
            f.close()
    if n == 0:
        sys.exit("snn_extract: no articles found in " + " ".join(args.inputs))
    for p in outputs:
        os.replace(p + ".tmp", p)
    msg = f"snn_extract: {n} articles"
    if text_f:
        msg += f", text {words} words, {text_bytes} bytes"
    print(msg, file=sys.stderr)


if __name__ == "__main__":
    main()
