"""`analyze` and `analyze_many` give exactly the documents of `qalam analyze --format json`."""

import json
import subprocess
from pathlib import Path
from typing import Dict, List

import pytest

import qalam
from conftest import body


def cli_documents(qalam_bin: str, texts: List[str], tmp: Path, *flags: str) -> List[Dict]:
    """One document per text from `qalam analyze --split none --format jsonl FILE…`."""
    files = []
    for i, text in enumerate(texts):
        f = tmp / f"{i:04}.txt"
        f.write_bytes(text.encode("utf-8"))
        files.append(str(f))
    out = subprocess.run(
        [qalam_bin, "analyze", "--split", "none", "--format", "jsonl", *flags, *files],
        check=True,
        capture_output=True,
    ).stdout.decode("utf-8")
    docs = [json.loads(line) for line in out.splitlines()]
    assert [d["name"] for d in docs] == files
    return docs


def test_analyze_equals_the_cli_on_the_sample(qalam_bin, sample_articles, tmp_path):
    texts = [body(r) for r in sample_articles]
    expected = cli_documents(qalam_bin, texts, tmp_path)
    for text, want in zip(texts, expected):
        got = qalam.analyze(text, name=want["name"])
        assert got == want
        assert all("stem" in t for t in got["tokens"])


def test_analyze_many_equals_the_cli_on_the_fixture(qalam_bin, sample_articles, fixture_articles, tmp_path):
    records = fixture_articles or sample_articles
    texts = [body(r) for r in records]
    expected = cli_documents(qalam_bin, texts, tmp_path)
    got = qalam.analyze_many(texts, threads=2)
    assert len(got) == len(expected)
    for g, want in zip(got, expected):
        want["name"] = "-"
        assert g == want


def test_fingerprint_and_morph_as_the_cli_flags(qalam_bin, sample_articles, tmp_path):
    texts = [body(r) for r in sample_articles[:3]]
    expected = cli_documents(qalam_bin, texts, tmp_path, "--fingerprint", "--morph")
    for text, want in zip(texts, expected):
        got = qalam.analyze(text, name=want["name"], fingerprint=True, morph=True)
        assert got == want
        assert len(got["fingerprint"]["bands"]) == 42
        assert got["words"], "the PADT words are there"


def test_offsets_point_into_the_original():
    text = "قال د. محمد فى القاهرة: الأمطار غزيرة."
    doc = qalam.analyze(text)
    raw = text.encode("utf-8")
    for t in doc["tokens"]:
        assert raw[t["start"]:t["end"]].decode("utf-8") == t["text"]
        assert text[t["char_start"]:t["char_end"]] == t["text"]
    for e in doc["entities"]:
        assert raw[e["start"]:e["end"]].decode("utf-8") == e["text"]
    assert doc["name"] == "-" and doc["offset"] == 0
    assert "fingerprint" not in doc and "words" not in doc


def test_analyze_many_keeps_order_and_thread_counts_agree():
    texts = [f"افتتاح المدرسة رقم {i} في الرياض." for i in range(50)] + ["", "   "]
    one = qalam.analyze_many(texts, threads=1)
    two = qalam.analyze_many(texts, threads=2)
    default = qalam.analyze_many(iter(texts))
    assert one == two == default
    assert [d["tokens"][3]["text"] for d in one[:3]] == ["0", "1", "2"]
    assert one[-1]["tokens"] == []


def test_analyze_many_rejects_bad_items():
    with pytest.raises(qalam.ArgumentError, match=r"texts\[1\] is int"):
        qalam.analyze_many(["نص", 3])
    with pytest.raises(qalam.ArgumentError, match="threads"):
        qalam.analyze_many(["نص"], threads=0)
