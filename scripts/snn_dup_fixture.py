#!/usr/bin/env python3
"""Writes fixtures/snn/duplicates-2015-07-21.jsonl: SaudiNewsNet articles of one day that are
near-duplicates of each other, for the tests of near-duplicate clustering (qalam.spark against
`qalam dedup`).

Source: ../shared/data/saudinewsnet/2015-07-21.zip (SaudiNewsNet, CC BY-NC-SA 4.0). Every
article of the day is cut to the same excerpt as scripts/snn_fixture.py makes (at most 480
bytes), the excerpts are clustered by the `qalam` wheel as `qalam index` clusters them, and the
members of the first clusters of two or more (in the day's order) are kept, in the day's order,
up to COUNT articles. Needs the wheel: `pip install ./bindings/python`.

    python3 scripts/snn_dup_fixture.py [../shared/data/saudinewsnet/2015-07-21.zip] [OUT]
"""
import collections
import json
import sys
import zipfile
from pathlib import Path

import qalam

sys.path.insert(0, str(Path(__file__).resolve().parent))
from snn_fixture import excerpt  # noqa: E402

COUNT = 40


def main() -> None:
    src = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/saudinewsnet/2015-07-21.zip")
    out = Path(sys.argv[2] if len(sys.argv) > 2 else "fixtures/snn/duplicates-2015-07-21.jsonl")
    with zipfile.ZipFile(src) as archive:
        name = sorted(archive.namelist())[0]
        articles = json.loads(archive.read(name))
    rows = []
    for i, a in enumerate(articles):
        content = excerpt(a.get("content") or "")
        if not content:
            continue
        row = {"id": f"{src.stem}-d{i:04d}", "title": a.get("title") or "", "content": content,
               "source": a.get("source") or "", "date": (a.get("date_extracted") or "")[:10]}
        if a.get("author"):
            row["author"] = a["author"]
        row["url"] = a.get("url") or ""
        rows.append(row)
    cols = qalam.analyze_columns([r["content"] for r in rows], threads=2)
    clusters = [c for c, _ in qalam.assign_clusters([r["id"] for r in rows], cols["minhash"])]
    sizes = collections.Counter(clusters)
    kept, taken = set(), 0
    for c in dict.fromkeys(clusters):
        if sizes[c] >= 2 and taken + sizes[c] <= COUNT:
            kept.add(c)
            taken += sizes[c]
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as f:
        for row, c in zip(rows, clusters):
            if c in kept:
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {taken} articles in {len(kept)} clusters to {out}")


if __name__ == "__main__":
    main()
