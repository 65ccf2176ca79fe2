"""The functions qalam.spark runs in the executors: columnar analysis, the readers, the
similarity check and cluster assignment of near-duplicates, and story clustering."""

import json
import zipfile

import pytest

import qalam

from conftest import body


def test_columns_are_the_analysis_of_each_text(sample_articles, fixture_articles):
    records = (sample_articles + fixture_articles)[:40]
    texts = [body(r) for r in records]
    dates = [r.get("date") for r in records]
    cols = qalam.analyze_columns(texts, dates)
    assert cols == qalam.analyze_columns(texts, dates, threads=2)
    for i, text in enumerate(texts):
        doc = qalam.analyze(text, fingerprint=True)
        lo, hi = cols["entity_offsets"][i], cols["entity_offsets"][i + 1]
        entities = [{"type": cols["entity_type"][j], "start": cols["entity_start"][j],
                     "end": cols["entity_end"][j], "text": cols["entity_text"][j],
                     "key": cols["entity_key"][j]} for j in range(lo, hi)]
        assert entities == doc["entities"]
        lo, hi = cols["keyphrase_offsets"][i], cols["keyphrase_offsets"][i + 1]
        assert cols["keyphrase_text"][lo:hi] == [k["text"] for k in doc["keyphrases"]]
        assert cols["keyphrase_start"][lo:hi] == [k["start"] for k in doc["keyphrases"]]
        lo, hi = cols["summary_offsets"][i], cols["summary_offsets"][i + 1]
        assert cols["summary_end"][lo:hi] == [s["end"] for s in doc["summary"]]
        assert cols["minhash"][i].hex() == doc["fingerprint"]["minhash"]
        lo, hi = cols["band_offsets"][i], cols["band_offsets"][i + 1]
        assert [f"{b & (2**64 - 1):016x}" for b in cols["bands"][lo:hi]] \
            == doc["fingerprint"]["bands"]
    assert qalam.analyze_columns(["نص"], ["2015-07-21"])["day"] == [16637]
    assert qalam.analyze_columns(["نص"], ["أمس"])["day"] == [None]
    assert qalam.analyze_columns(["في من"])["band_offsets"] == [0, 0], "no content words, no bands"


def test_columns_reject_bad_arguments():
    with pytest.raises(qalam.ArgumentError, match="2 dates for 1 texts"):
        qalam.analyze_columns(["نص"], ["2015-07-21", None])
    with pytest.raises(qalam.ArgumentError, match="threads"):
        qalam.analyze_columns(["نص"], threads=0)
    with pytest.raises(qalam.ArgumentError, match=r"texts\[1\] is int, not str"):
        qalam.analyze_columns(["نص", 3])
    with pytest.raises(qalam.InputError):
        qalam.analyze_columns(["\ud800"])


def test_readers_read_zips_and_directories_in_order_and_go_on(tmp_path):
    day = tmp_path / "snn" / "2015-07-21.zip"
    day.parent.mkdir()
    with zipfile.ZipFile(day, "w") as z:
        z.writestr("2015-07-21.json", json.dumps([
            {"title": "أ", "content": "خبر أول", "source": "sabq", "date_extracted": "2015-07-21 10:00:00"},
            {"title": "ب", "content": 7},
        ], ensure_ascii=False))
    (tmp_path / "snn" / "a.jsonl").write_text('{"id": "x", "text": "نص"}\n', encoding="utf-8")
    (tmp_path / "snn" / "notes.pdf").write_bytes(b"%PDF")
    files, errors = qalam.input_files([str(tmp_path / "snn")])
    assert [f.rsplit("/", 1)[1] for f in files] == ["2015-07-21.zip", "a.jsonl"] and errors == []
    items = list(qalam.read_documents([str(tmp_path / "snn")]))
    assert [type(i).__name__ for i in items] == ["dict", "InputError", "dict"]
    first = items[0]
    assert (first["title"], first["source"], first["date"]) == ("أ", "sabq", "2015-07-21 10:00:00")
    assert first["origin"] == {"path": files[0], "member": "2015-07-21.json", "line": 1, "record": 1}
    assert "2015-07-21.zip: 2015-07-21.json: record 2" in str(items[1])
    assert isinstance(items[1], qalam.QalamError)
    assert items[2]["id"] == "x"
    missing = list(qalam.read_documents([str(tmp_path / "missing.jsonl")]))
    assert len(missing) == 1 and isinstance(missing[0], qalam.InputError)


def made_up_words(n):
    """`n` distinct made-up content words (as the index's templated-series test makes them)."""
    letters = "بثجحخدذرزسشصضطظعغفقكم"
    x, out = 7, set()
    while len(out) < n:
        x = (x * 6364136223846793005 + 1442695040888963407) % 2**64
        out.add("".join(letters[(x >> (8 * k + 8)) % len(letters)] for k in range(5)))
    return sorted(out)


def test_clusters_join_their_first_document_without_chaining():
    w = made_up_words(440)
    a, b, c = (" ".join(w[r]) for r in [slice(0, 300), slice(70, 370), slice(140, 440)])
    sigs = qalam.analyze_columns([a, b, c])["minhash"]
    near = qalam.near_duplicates([sigs[0], sigs[1], sigs[0]], [sigs[1], sigs[2], sigs[2]])
    assert near[0] is not None and near[1] is not None and near[2] is None
    assert qalam.assign_clusters(["a", "b", "c"], sigs) == ["a", "a", "c"]
    sims = qalam.jaccard([sigs[0], sigs[0], sigs[0]], [sigs[0], sigs[1], None])
    assert sims[0] == 1.0 and 0.5 < sims[1] < 0.8 and sims[2] == 0.0
    # A record with the id of an earlier one replaces it and never links to it.
    assert qalam.assign_clusters(["a", "b", "a"], [sigs[0], sigs[1], sigs[0]]) == ["a", "a", "a"]
    with pytest.raises(qalam.ArgumentError):
        qalam.assign_clusters(["a"], sigs)
    with pytest.raises(qalam.InputError, match="wrong length"):
        qalam.near_duplicates([b"\0" * 3], [sigs[0]])


def test_stories_of_story_inputs():
    docs = [
        {"id": "a", "title": "انفجار في مسجد بالقطيف", "day": 0, "entities": ["LOC:القطيف", "ORG:داعش"]},
        {"id": "b", "title": "ضحايا انفجار مسجد القطيف", "day": 1, "entities": ["LOC:القطيف", "ORG:داعش"]},
        {"id": "c", "title": "الهلال يفوز على النصر", "day": 1, "entities": ["ORG:الهلال"]},
    ]
    found = qalam.stories(docs, min_docs=1)
    assert [s["docs"] for s in found] == [[0, 1], [2]]
    assert found[0]["days"] == [0, 1]
    with pytest.raises(qalam.ArgumentError, match="story documents"):
        qalam.stories([{"title": "بلا معرف"}])
