"""No input crashes the interpreter: the hostile inputs of the CLI and server tests."""

import pytest

import qalam

HOSTILE_TEXTS = [
    "",
    "\x00",
    "نص\x00نص",
    "(" * 5000,
    ")" * 5000,
    "\"" * 5001,
    "ـ" * 100_000,
    "\u200f\u200e\u202e" * 1000,
    "\ufeff" + "ّ" * 10_000,
    "a" * 1_000_000,
    ".\n" * 50_000,
    "بقلم :" * 5000,
    "\U0001F600" * 1000,
    "كلمة " * 50_000,
]


@pytest.mark.parametrize("text", HOSTILE_TEXTS, ids=range(len(HOSTILE_TEXTS)))
def test_text_functions_survive(text):
    doc = qalam.analyze(text)
    raw = text.encode("utf-8")
    for t in doc["tokens"][:1000]:
        assert raw[t["start"]:t["end"]].decode("utf-8") == t["text"]
    qalam.normalize(text)
    qalam.tokenize(text)
    qalam.sentences(text)
    qalam.stem(text)
    qalam.translit(text)
    qalam.tag_ner(text.split()[:10_000])


LONE_SURROGATES = ["\ud800", "نص\udfff", "a\udc00b"]


@pytest.mark.parametrize("text", LONE_SURROGATES)
def test_lone_surrogates_are_input_errors(text, tmp_path):
    for call in [
        lambda: qalam.analyze(text),
        lambda: qalam.analyze_many(["نص", text]),
        lambda: qalam.normalize(text),
        lambda: qalam.tokenize(text),
        lambda: qalam.sentences(text),
        lambda: qalam.stem(text),
        lambda: qalam.stem([text]),
        lambda: qalam.translit(text),
        lambda: qalam.tag_ner([text]),
    ]:
        with pytest.raises(qalam.InputError, match="not valid Unicode"):
            call()
    index = qalam.Index(tmp_path / "i", create=True)
    report = index.add([{"id": "x", "content": text}, {"id": text, "content": "نص"}])
    assert report["rejected"] == 2
    with pytest.raises(qalam.InputError):
        index.search(text)
    with pytest.raises(qalam.InputError):
        index.get(text)


HOSTILE_QUERIES = [
    "(" * 5000,
    ")" * 5000,
    "(" * 5000 + "x" + ")" * 5000,
    "\"" * 5001,
    "NOT " * 5000,
    "a AND " * 3000 + "b",
    "title:" * 2000,
    "date:[" * 1000,
    "*" * 10_000,
    "\x00",
    "+-" * 5000,
    "x" * 1_000_000,
    " OR ".join(f"w{i}" for i in range(20_000)),
]


@pytest.fixture(scope="module")
def small_index(tmp_path_factory):
    index = qalam.Index(tmp_path_factory.mktemp("hostile") / "i", create=True)
    index.add([{"id": str(i), "content": f"خبر رقم {i} من الرياض"} for i in range(20)])
    index.commit()
    return index


@pytest.mark.parametrize("q", HOSTILE_QUERIES, ids=range(len(HOSTILE_QUERIES)))
@pytest.mark.parametrize("mode", ["syntax", "words"])
def test_hostile_queries_answer_or_raise_a_qalam_error(small_index, q, mode):
    try:
        result = small_index.search(q, mode=mode)
    except qalam.QalamError:
        return
    assert result["total"] >= 0


def test_hostile_records(tmp_path):
    index = qalam.Index(tmp_path / "i", create=True)
    deep = {"id": "deep", "content": "نص"}
    inner: dict = {}
    deep["extra"] = inner
    for _ in range(100):
        inner["x"] = {}
        inner = inner["x"]
    report = index.add([
        {"id": "\x00", "content": "\x00"},
        {"id": "big", "content": "كلمة " * 20_000},
        deep,
        {"id": 7, "content": "رقم"},
        {"content": None},
        None,
        42,
    ])
    assert report["queued"] + report["rejected"] == 7
    index.commit()
    assert index.get("big") is not None
