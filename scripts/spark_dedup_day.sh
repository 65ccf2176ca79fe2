#!/usr/bin/env bash
# Near-duplicates of one real SaudiNewsNet day: `python -m qalam.spark dedup` (band keys ->
# candidate pairs -> similarity check -> connected components, in Spark local[2]) against
# `qalam dedup` of an index of the same zip; also entity trends against `qalam entities`.
# Needs a built `qalam` (QALAM=..., default target/release/qalam) and the wheel with pyspark.
#
#   scripts/spark_dedup_day.sh [../shared/data/saudinewsnet/2015-07-21.zip]
set -euo pipefail
cd "$(dirname "$0")/.."
day=${1:-../shared/data/saudinewsnet/2015-07-21.zip}
qalam=${QALAM:-target/release/qalam}
python=${PYTHON:-python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Exit code 1: some records were rejected (blank ones in SaudiNewsNet); both sides skip them.
"$qalam" index --index "$work/index" --threads 1 -q "$day" || [ $? -eq 1 ]
"$qalam" dedup --index "$work/index" --json --limit 0 >"$work/qalam-dedup.jsonl"
"$qalam" entities --index "$work/index" --json --top 50 >"$work/qalam-entities.json"
"$python" -m qalam.spark --master 'local[2]' analyze "$day" --out "$work/docs.parquet" 2>"$work/analyze.err" \
  || [ $? -eq 1 ]
tail -1 "$work/analyze.err"
"$python" -m qalam.spark --master 'local[2]' dedup "$work/docs.parquet" >"$work/spark-dedup.jsonl"
"$python" -m qalam.spark --master 'local[2]' entities --top 50 "$work/docs.parquet" \
  >"$work/spark-entities.json"
"$python" - "$work" <<'PY'
import json, struct, sys
w = sys.argv[1]
f32 = lambda x: struct.unpack("f", struct.pack("f", x))[0]
def clusters(path):
    out = []
    for line in open(path, encoding="utf-8"):
        c = json.loads(line)
        out.append((c["cluster"], [(d["id"], f32(d["similarity"])) for d in c["docs"]]))
    return out
a, b = clusters(f"{w}/qalam-dedup.jsonl"), clusters(f"{w}/spark-dedup.jsonl")
docs = sum(len(d) for _, d in a)
print(f"qalam dedup: {len(a)} clusters ({docs} documents); qalam.spark: {len(b)} clusters; "
      f"{'the same' if a == b else 'DIFFERENT'}")
x, y = json.load(open(f"{w}/qalam-entities.json")), json.load(open(f"{w}/spark-entities.json"))
strip = lambda t: [{k: v for k, v in e.items() if k != "label"} for e in t["top"]]
same = strip(x) == strip(y) and x["docs_per_day"] == y["docs_per_day"] and \
    [(p["a"], p["b"], p["docs"]) for p in x["pairs"]] == [(p["a"], p["b"], p["docs"]) for p in y["pairs"]]
labels = sum(e["label"] != f["label"] for e, f in zip(x["top"], y["top"]))
print(f"entity trends (top 50): {'the same' if same else 'DIFFERENT'}; labels differing: {labels}")
sys.exit(0 if a == b and same else 1)
PY
