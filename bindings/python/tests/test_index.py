"""`qalam.Index`: add, commit, search (the JSON of /api/search), get, delete, context manager."""

import json
import subprocess

import pytest

import qalam


def test_search_answers_like_the_cli(qalam_bin, sample_articles, tmp_path):
    with qalam.Index(tmp_path / "py", create=True) as index:
        report = index.add(sample_articles)
        assert report["rejected"] == 0 and report["queued"] == len(sample_articles)
        assert len(index) == 0, "nothing is searchable before the commit"
    assert len(index) == len(sample_articles)
    jsonl = tmp_path / "a.jsonl"
    jsonl.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in sample_articles))
    subprocess.run(
        [qalam_bin, "index", "--quiet", "--index", str(tmp_path / "cli"), str(jsonl)],
        check=True,
        capture_output=True,
    )
    for q in ["الموصل", "داعش AND العراق", "\"تنظيم الدولة\"", "date:2015"]:
        got = index.search(q, limit=100)
        out = subprocess.run(
            [qalam_bin, "search", "--index", str(tmp_path / "cli"), "--json", "--limit", "100", q],
            check=True,
            capture_output=True,
        ).stdout.decode("utf-8")
        want = [json.loads(line) for line in out.splitlines()]
        assert got["q"] == q and got["limit"] == 100 and got["offset"] == 0
        assert isinstance(got["took_ms"], float)
        assert "facets" in got
        # Every match, so ties at the end of a page cannot reorder what is compared.
        assert got["total"] == len(want) > 0, q
        assert sorted(h["id"] for h in got["hits"]) == sorted(h["id"] for h in want), q
        assert [sorted(h) for h in got["hits"]] == [sorted(h) for h in want]


def test_add_reports_bad_records_and_goes_on(tmp_path):
    index = qalam.Index(str(tmp_path / "i"), create=True)
    report = index.add([
        {"id": "a", "title": "مدرسة", "content": "افتتاح مدرسة جديدة في الرياض"},
        {"id": "b"},
        ["not", "a", "dict"],
        {"id": "c", "content": "نص", "when": {1, 2}},
        {"id": "d", "content": "أمطار غزيرة على جدة", "date": "2015-07-21"},
    ])
    assert report["ids"] == ["a", "d"]
    assert report["rejected"] == 3
    assert report["errors"][0] == "record 2: record has no text field (content|body|text)"
    assert report["errors"][1].startswith("record 3: record is list")
    assert report["errors"][2].startswith("record 4: ")
    committed = index.commit()
    assert committed["added"] == 2 and committed["docs_in_index"] == 2
    assert index.get("a")["title"] == "مدرسة"
    assert index.get("zzz") is None
    hit = index.search("المدرسة")["hits"][0]
    assert hit["id"] == "a" and "<mark>" in hit["snippet"]["html"]
    assert index.search("جدة", date_from="2015-07-01", date_to="2015-07-31")["total"] == 1
    assert index.delete(["a", "zzz"]) == 1
    assert index.delete("d") == 1
    assert len(index) == 0


def test_a_raising_block_drops_the_queue(tmp_path):
    with pytest.raises(RuntimeError):
        with qalam.Index(tmp_path / "i", create=True) as index:
            index.add([{"id": "a", "content": "نص"}])
            raise RuntimeError("stop")
    assert len(qalam.Index(tmp_path / "i")) == 0


def test_replacing_a_document(tmp_path):
    index = qalam.Index(tmp_path / "i", create=True)
    index.add([{"id": "a", "content": "نص أول"}])
    index.commit()
    index.add([{"id": "a", "content": "نص ثان"}])
    assert index.commit()["replaced"] == 1
    assert index.get("a")["body"] == "نص ثان"


def test_index_errors(tmp_path):
    with pytest.raises(qalam.StorageError, match="not a qalam index"):
        qalam.Index(tmp_path)
    (tmp_path / "x").write_text("x")
    with pytest.raises(qalam.StorageError):
        qalam.Index(tmp_path, create=True)
    index = qalam.Index(tmp_path / "i", create=True)
    with pytest.raises(qalam.QueryError):
        index.search("date:notadate")
    with pytest.raises(qalam.ArgumentError):
        index.search("x", limit=1000)
    with pytest.raises(qalam.ArgumentError):
        index.search("x", mode="fuzzy")
    assert issubclass(qalam.StorageError, qalam.QalamError)
