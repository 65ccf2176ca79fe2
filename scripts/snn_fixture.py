#!/usr/bin/env python3
"""Writes fixtures/snn/articles-200.jsonl: 200 SaudiNewsNet article excerpts for golden-output tests.

Source: ../shared/data/saudinewsnet/*.zip (SaudiNewsNet, CC BY-NC-SA 4.0). Deterministic: from
every day's zip (sorted), articles at an even stride, until 200; each keeps its title, source,
author, url and day, and the first sentences of its content up to MAX_BYTES bytes (cut at a
sentence end or a space), so the fixture stays small.

    python3 scripts/snn_fixture.py [../shared/data/saudinewsnet] [fixtures/snn/articles-200.jsonl]
"""
import json
import sys
import zipfile
from pathlib import Path

COUNT = 200
MAX_BYTES = 480


def excerpt(text: str) -> str:
    data = text.encode("utf-8")
    if len(data) <= MAX_BYTES:
        return text.strip()
    cut = data[:MAX_BYTES].decode("utf-8", errors="ignore")
    for stop in (".\n", ". ", "\n"):
        at = cut.rfind(stop)
        if at > MAX_BYTES // 3:
            return cut[: at + 1].strip()
    at = cut.rfind(" ")
    return cut[: at if at > 0 else len(cut)].strip()


def main() -> None:
    src = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/saudinewsnet")
    out = Path(sys.argv[2] if len(sys.argv) > 2 else "fixtures/snn/articles-200.jsonl")
    zips = sorted(src.glob("*.zip"))
    per_zip = -(-COUNT // len(zips))
    rows = []
    for z in zips:
        with zipfile.ZipFile(z) as archive:
            name = sorted(archive.namelist())[0]
            articles = json.loads(archive.read(name))
        stride = max(1, len(articles) // per_zip)
        for i in range(0, len(articles), stride):
            if sum(1 for r in rows if r["id"].startswith(z.stem)) >= per_zip or len(rows) >= COUNT:
                break
            a = articles[i]
            content = excerpt(a.get("content") or "")
            if not content:
                continue
            row = {"id": f"{z.stem}-{i:04d}", "title": a.get("title") or ""}
            row["content"] = content
            row["source"] = a.get("source") or ""
            row["date"] = (a.get("date_extracted") or "")[:10]
            if a.get("author"):
                row["author"] = a["author"]
            row["url"] = a.get("url") or ""
            rows.append(row)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as f:
        for row in rows[:COUNT]:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {min(len(rows), COUNT)} articles to {out}")


if __name__ == "__main__":
    main()
