"""The text functions agree with the `qalam` commands they mirror."""

import subprocess

import pytest

import qalam


def cli(qalam_bin, *args, stdin):
    out = subprocess.run(
        [qalam_bin, *args], input=stdin.encode("utf-8"), check=True, capture_output=True
    )
    return out.stdout.decode("utf-8").splitlines()


WORDS = ["والكتاب", "المدارس", "بالمدرسة", "فى", "إلى", "مُدَرِّسَة", "Book", "2015"]


@pytest.mark.parametrize("profile", ["search", "display", "none"])
def test_normalize_as_the_cli(qalam_bin, profile):
    want = cli(qalam_bin, "normalize", "--profile", profile, stdin="\n".join(WORDS) + "\n")
    assert [qalam.normalize(w, profile) for w in WORDS] == want


@pytest.mark.parametrize("algo", ["light", "isri", "snowball", "none"])
def test_stem_as_the_cli(qalam_bin, algo):
    want = cli(qalam_bin, "stem", "--algo", algo, stdin="\n".join(WORDS) + "\n")
    assert qalam.stem(WORDS, algo) == want
    assert [qalam.stem(w, algo=algo) for w in WORDS] == want


@pytest.mark.parametrize("to", ["bw", "safebw"])
def test_translit_as_the_cli(qalam_bin, to):
    want = cli(qalam_bin, "translit", "--to", to, stdin="\n".join(WORDS) + "\n")
    assert [qalam.translit(w, to=to) for w in WORDS] == want
    assert [qalam.translit(w, to="ar") for w in want] == cli(
        qalam_bin, "translit", "--to", "ar", stdin="\n".join(want) + "\n"
    )


def test_tokens_and_sentences_match_analyze():
    text = "قال د. محمد فى القاهرة: الأمطار غزيرة!\nثم عاد إلى جدة 2015."
    doc = qalam.analyze(text)
    tokens = qalam.tokenize(text)
    assert [{k: t[k] for k in t} for t in tokens] == [
        {k: v for k, v in t.items() if k != "stem"} for t in doc["tokens"]
    ]
    sentences = qalam.sentences(text)
    assert [(s["start"], s["end"]) for s in sentences] == [
        (s["start"], s["end"]) for s in doc["sentences"]
    ]
    raw = text.encode("utf-8")
    assert all(raw[s["start"]:s["end"]].decode() == s["text"] for s in sentences)
    assert sentences[0]["text"] == "قال د. محمد فى القاهرة: الأمطار غزيرة!"


def test_tag_ner_agrees_with_the_entities_of_analyze():
    text = "زار الملك سلمان مدينة الرياض"
    tokens = [t["text"] for t in qalam.tokenize(text)]
    tags = qalam.tag_ner(tokens)
    assert len(tags) == len(tokens)
    assert all(t == "O" or t[:2] in ("B-", "I-") for t in tags)
    named = [tok for tok, tag in zip(tokens, tags) if tag != "O"]
    entities = " ".join(e["text"] for e in qalam.analyze(text)["entities"])
    assert named and all(tok in entities for tok in named)
    assert qalam.tag_ner([]) == []


def test_bad_names_are_argument_errors():
    with pytest.raises(qalam.ArgumentError, match="profile"):
        qalam.normalize("نص", "loud")
    with pytest.raises(qalam.ArgumentError):
        qalam.stem("نص", algo="porter")
    with pytest.raises(qalam.ArgumentError):
        qalam.translit("نص", to="latin")
    with pytest.raises(qalam.ArgumentError):
        qalam.tag_ner("نص")
    assert issubclass(qalam.ArgumentError, qalam.QalamError)
