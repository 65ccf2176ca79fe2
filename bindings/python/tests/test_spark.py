"""qalam.spark in PySpark local[2] against the `qalam` command line on the same documents: the
SaudiNewsNet fixtures (200 articles of every day, and 39 near-duplicates of 2015-07-21) plus a
file with a bad record. One Spark session and one analysis for the whole module."""

import json
import struct
import subprocess
from pathlib import Path
from typing import Any, Dict, List

import pytest

import qalam
from qalam import spark as qs

from conftest import FIXTURES

QUERIES = ["الرياض", "مجلس الأمن", "النووي OR إيران", "source:aawsat", '"وزارة الصحة"', "*"]


def f32(x: float) -> float:
    return struct.unpack("f", struct.pack("f", x))[0]


def run(qalam_bin: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    p = subprocess.run([qalam_bin, *args], capture_output=True, text=True, timeout=600)
    if check:
        assert p.returncode == 0, p.stderr
    return p


def jsonl(text: str) -> List[Any]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> List[str]:
    bad = tmp_path_factory.mktemp("inputs") / "bad.jsonl"
    # A record without text, and one that replaces the first near-duplicate (same id).
    replacing = json.loads((FIXTURES / "duplicates-2015-07-21.jsonl").read_text(
        encoding="utf-8").splitlines()[0])
    replacing["title"] = "عنوان جديد"
    bad.write_text(
        '{"id": "ok-1", "title": "أمطار", "content": "أمطار غزيرة على جدة اليوم."}\n'
        '{"id": "no-text", "title": "بلا نص"}\n'
        + json.dumps(replacing, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    return [str(FIXTURES / "articles-200.jsonl"), str(FIXTURES / "duplicates-2015-07-21.jsonl"),
            str(bad)]


@pytest.fixture(scope="module")
def spark():
    s = qs.session("local[2]")
    yield s
    s.stop()


@pytest.fixture(scope="module")
def analysed(spark, inputs, tmp_path_factory):
    out = str(tmp_path_factory.mktemp("spark") / "docs.parquet")
    code = qs.main(["--master", "local[2]", "analyze", *inputs, "--out", out])
    df = spark.read.parquet(out).cache()
    return code, df, out


@pytest.fixture(scope="module")
def dups(analysed):
    return qs.duplicates(analysed[1]).cache()


@pytest.fixture(scope="module")
def raw_index(qalam_bin, inputs, tmp_path_factory) -> str:
    index = str(tmp_path_factory.mktemp("raw") / "index")
    p = run(qalam_bin, "index", "--index", index, "--threads", "1", "-q", *inputs, check=False)
    assert p.returncode == 1 and "bad.jsonl: line 2: record has no text field" in p.stderr
    return index


def test_analysis_columns_are_the_pipelines(analysed):
    code, df, _ = analysed
    assert code == 1, "the bad record is reported"
    assert df.count() == 241
    rows = df.orderBy("ord").limit(12).collect()
    for row in rows:
        doc = qalam.analyze(row["body"], fingerprint=True)
        assert [e.asDict() for e in row["entities"]] == doc["entities"]
        assert [(k["text"], k["start"], k["end"], k["count"], k["score"]) for k in row["keyphrases"]] \
            == [(k["text"], k["start"], k["end"], k["count"], f32(k["score"])) for k in doc["keyphrases"]]
        assert [(s["index"], s["start"], s["end"]) for s in row["summary"]] \
            == [(s["index"], s["start"], s["end"]) for s in doc["summary"]]
        assert row["minhash"].hex() == doc["fingerprint"]["minhash"]
        assert [f"{b & 0xFFFFFFFFFFFFFFFF:016x}" for b in row["bands"]] == doc["fingerprint"]["bands"]
    assert rows[0]["day"] == 16637  # 2015-07-21
    assert json.loads(rows[0]["origin"]) == {"path": str(FIXTURES / "articles-200.jsonl"), "line": 1}


def test_duplicates_are_those_of_qalam_dedup(analysed, dups, raw_index, qalam_bin):
    _, df, _ = analysed
    spark_clusters = qs.duplicate_clusters(df, dups)
    cli = jsonl(run(qalam_bin, "dedup", "--index", raw_index, "--json", "--limit", "0").stdout)

    def norm(clusters: List[Dict[str, Any]]):
        return [(c["cluster"], [(d["id"], d["title"], d["source"], d["date"], f32(d["similarity"]))
                                for d in c["docs"]]) for c in clusters]

    assert len(cli) >= 10, "the fixture has near-duplicates"
    assert norm(spark_clusters) == norm(cli)


def test_entity_trends_are_those_of_qalam_entities(spark, analysed, raw_index, qalam_bin):
    _, df, _ = analysed
    trends = qs.entity_trends(spark, df, 25)
    cli = json.loads(run(qalam_bin, "entities", "--index", raw_index, "--json", "--top", "25").stdout)
    for key in ["docs", "days", "docs_per_day"]:
        assert trends[key] == cli[key], key
    # Labels are read from a few documents by the index, from all mentions by Spark.
    strip = lambda e: {k: v for k, v in e.items() if k != "label"}  # noqa: E731
    assert [strip(e) for e in trends["top"]] == [strip(e) for e in cli["top"]]
    pair = lambda p: (p["a"], p["b"], p["docs"], f32(p["pmi"]))  # noqa: E731
    assert [pair(p) for p in trends["pairs"]] == [pair(p) for p in cli["pairs"]]
    assert len(trends["top"]) == 25 and trends["pairs"]


def test_stories_from_spark_inputs_are_those_of_qalam_stories(spark, analysed, dups, raw_index,
                                                             qalam_bin):
    _, df, _ = analysed
    found = qs.stories(qs.story_inputs(spark, df, dups), min_docs=2)
    cli = jsonl(run(qalam_bin, "stories", "--index", raw_index, "--json", "--limit", "0",
                    "--min-docs", "2").stdout)
    assert len(cli) >= 5
    assert found == cli


def test_analyze_reads_ids_titles_texts_and_dates_from_the_columns_it_is_given(
        spark, analysed, dups, tmp_path):
    from pyspark.sql import functions as F

    _, df, _ = analysed
    custom = df.select("ord", F.col("id").alias("doc_id"), F.col("title").alias("headline"),
                       F.col("body").alias("content"), F.col("date").alias("published"), "source")
    mine = qs.analyze(custom, text_col="content", id_col="doc_id", title_col="headline",
                      date_col="published").cache()
    fields = ["entities", "keyphrases", "summary", "minhash", "bands", "day"]
    assert {r["ord"]: (r["doc_id"], r["headline"], *[r[f] for f in fields])
            for r in mine.collect()} \
        == {r["ord"]: (r["id"], r["title"], *[r[f] for f in fields]) for r in df.collect()}
    # The roles survive Parquet, and the other functions read ids and titles through them.
    parquet = str(tmp_path / "mine.parquet")
    mine.write.parquet(parquet)
    mine = spark.read.parquet(parquet)
    assert qs._roles(mine) == {"id": "doc_id", "title": "headline", "text": "content",
                               "date": "published"}
    mine_dups = qs.duplicates(mine)
    assert mine_dups.orderBy("ord").collect() == dups.orderBy("ord").collect()
    assert qs.story_inputs(spark, mine, mine_dups).collect() \
        == qs.story_inputs(spark, df, dups).collect()
    files = qs.export(mine, str(tmp_path / "export"))
    records = [json.loads(line) for f in files for line in open(f, encoding="utf-8")]
    assert [(r["id"], r.get("title"), r["content"]) for r in records] \
        == [(r["id"], r["title"], r["body"]) for r in df.orderBy("ord").collect()]
    # Without `ord` or a title: `ord` follows the partitions, titles are null.
    bare = qs.analyze(custom.drop("ord", "headline").limit(3), text_col="content",
                      id_col="doc_id")
    rows = bare.collect()
    assert len(rows) == 3 and len({r["ord"] for r in rows}) == 3
    assert {r["title"] for r in qs.story_inputs(spark, bare, qs.duplicates(bare)).collect()} \
        == {None}
    with pytest.raises(ValueError, match="no column 'id'"):
        qs.analyze(custom, text_col="content")
    with pytest.raises(ValueError, match="no column 'title'"):
        qs.analyze(custom, text_col="content", id_col="doc_id", title_col="title")


def search(qalam_bin: str, index: str, q: str, *flags: str) -> List[Dict[str, Any]]:
    hits = jsonl(run(qalam_bin, "search", "--index", index, "--json", "-n", "50", *flags, q).stdout)
    for h in hits:
        h.pop("took_ms", None)
    return hits


def test_index_from_the_export_answers_like_the_raw_index(analysed, raw_index, qalam_bin,
                                                          tmp_path):
    _, df, _ = analysed
    files = qs.export(df, str(tmp_path / "export"))
    assert files and all(f.endswith(".jsonl") for f in files)
    index = str(tmp_path / "index")
    p = run(qalam_bin, "index", "--index", index, "--threads", "1", str(tmp_path / "export"))
    assert "added 240, replaced 1, rejected 0" in p.stderr
    for q in QUERIES:
        for flags in [(), ("--collapse",), ("--facets",)]:
            assert search(qalam_bin, index, q, *flags) == search(qalam_bin, raw_index, q, *flags), q
    for command in [["dedup", "--json", "--limit", "0"], ["entities", "--json", "--top", "30"],
                    ["stories", "--json", "--limit", "0", "--min-docs", "2"]]:
        a = run(qalam_bin, command[0], "--index", index, *command[1:]).stdout
        b = run(qalam_bin, command[0], "--index", raw_index, *command[1:]).stdout
        assert a == b, command
    # A pre-analyzed record with a bad span is rejected alone, named by file and line.
    lines = Path(files[0]).read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if i > 0 and json.loads(line)["qalam_analysis"]["entities"])
    bad = json.loads(lines[at])
    bad["qalam_analysis"]["entities"][0]["end"] = 10**6
    broken = tmp_path / "broken.jsonl"
    broken.write_text("\n".join([lines[0], json.dumps(bad, ensure_ascii=False), lines[-1]]) + "\n",
                      encoding="utf-8")
    p = run(qalam_bin, "index", "--index", str(tmp_path / "broken"), str(broken), check=False)
    assert p.returncode == 1
    assert f"{broken}: line 2: document {bad['id']}: qalam_analysis: entity 0 span" in p.stderr
    assert "added 2, replaced 0, rejected 1" in p.stderr
