#!/usr/bin/env python3
"""Builds fixtures/stem/stems.tsv: reference stems from Lucene, NLTK ISRI and PyStemmer.

Words: the N most frequent distinct Arabic-letter runs of SaudiNewsNet that Lucene's
StandardTokenizer keeps as one token, followed by hand-made edge cases. Each word is stemmed by

  * lucene:    ArabicNormalizationFilter + ArabicStemFilter on the word as one token
               (scripts/stem_fixtures/LuceneArabicStem.java, compiled here with javac),
  * isri:      nltk.stem.isri.ISRIStemmer().stem(word),
  * pystemmer: Stemmer.Stemmer("arabic").stemWord(word) (Snowball).

Edge cases are stemmed as whole tokens even when StandardTokenizer would split them: the Rust
functions stem a single word, whatever produced it.

Needs: javac/java, Debian liblucene8-java (jars in /usr/share/java), pip nltk and PyStemmer.

Usage: python3 scripts/stem_fixtures.py [--data ../shared/data/saudinewsnet]
           [--out fixtures/stem/stems.tsv] [--top 50000] [--lucene-jars /usr/share/java]
"""

import argparse
import collections
import glob
import json
import os
import re
import subprocess
import sys
import tempfile
import zipfile

import nltk
import Stemmer
from nltk.stem.isri import ISRIStemmer

HERE = os.path.dirname(os.path.abspath(__file__))
JAVA_SRC = os.path.join(HERE, "stem_fixtures", "LuceneArabicStem.java")

# Arabic letters (incl. Persian/Urdu ones), harakat, tatweel and superscript alef.
ARABIC_RUN = re.compile(r"[\u0621-\u063A\u0640-\u0652\u0670-\u06D3]+")

# Hand-made edge cases: (word, why). Words hold no tab, CR or LF.
EDGE_CASES = [
    # single letters and hamza forms
    *[(chr(c), "single letter") for c in range(0x0621, 0x063B)],
    *[(chr(c), "single letter") for c in range(0x0641, 0x064B)],
    ("\u0640", "tatweel alone"),
    ("\u0640\u0640\u0640", "tatweel run"),
    ("\u064E", "fatha alone"),
    ("\u064B\u0651\u0652", "diacritics only"),
    ("\u0670", "superscript alef alone"),
    # diacritics and tatweel inside words
    ("\u0627\u0644\u0652\u0643\u0650\u062A\u064E\u0627\u0628\u064F", "vocalized alkitabu"),
    ("\u0643\u064E\u062A\u064E\u0628\u064E", "vocalized kataba"),
    ("\u0645\u064F\u062D\u064E\u0645\u0651\u064E\u062F\u064C", "shadda and dammatan"),
    ("\u0627\u0644\u0643\u062A\u0640\u0640\u0640\u0627\u0628", "tatweel inside"),
    ("\u0648\u0640\u0627\u0644\u0643\u062A\u0627\u0628", "tatweel splits prefix"),
    ("\u0647\u0670\u0630\u0627", "superscript alef (not stripped)"),
    ("\u0627\u0654\u0645\u0644", "combining hamza above (not stripped)"),
    ("\u0627\u0655\u0633\u0644\u0627\u0645", "combining hamza below"),
    ("\u0627\u0653\u0645\u0646", "combining madda"),
    # hamza seats, alef maksura, teh marbuta
    ("\u0623\u062D\u0645\u062F", "initial hamza above"),
    ("\u0625\u0633\u0644\u0627\u0645", "initial hamza below"),
    ("\u0622\u0645\u0646", "initial madda"),
    ("\u0633\u0623\u0644", "medial hamza"),
    ("\u0645\u0624\u062A\u0645\u0631", "waw hamza"),
    ("\u0631\u0626\u064A\u0633", "yeh hamza"),
    ("\u0633\u0645\u0627\u0621", "final hamza"),
    ("\u0639\u0644\u0649", "alef maksura"),
    ("\u0641\u0649", "Egyptian fi"),
    ("\u0645\u0633\u062A\u0634\u0641\u0649", "mustashfa"),
    ("\u0645\u062F\u0631\u0633\u0629", "teh marbuta"),
    ("\u0645\u062F\u0631\u0633\u062A\u0647\u0627", "teh + ha"),
    ("\u0627\u0644\u0645\u062F\u0631\u0633\u0629", "al + teh marbuta"),
    ("\u0627\u0644\u0630\u0649", "ISRI stop word with alef maksura"),
    ("\u064A\u0643\u0648\u0646", "ISRI stop word"),
    ("\u0648\u0627\u0644\u062A\u064A", "ISRI stop word"),
    # prefixes on very short words
    ("\u0648\u0627\u0644", "wal alone"),
    ("\u0628\u0627\u0644", "bal alone"),
    ("\u0643\u0627\u0644", "kal alone"),
    ("\u0641\u0627\u0644", "fal alone"),
    ("\u0627\u0644", "al alone"),
    ("\u0644\u0644", "lil alone"),
    ("\u0648\u0644\u0644", "wall alone"),
    ("\u0648", "wa alone"),
    ("\u0648\u0644\u062F", "wa + 2 letters"),
    ("\u0648\u0644\u062F\u0647", "wa + 3 letters"),
    ("\u0648\u0627\u0644\u062F", "wal + 1"),
    ("\u0648\u0627\u0644\u062F\u0629", "wal + 2"),
    ("\u0628\u0627\u0644\u0645", "bal + 1"),
    ("\u0628\u0627\u0644\u0645\u0627", "bal + 2"),
    ("\u0627\u0644\u0627", "al + 1"),
    ("\u0627\u0644\u0627\u0646", "al + 2"),
    ("\u0644\u0644\u0647", "lil + 1"),
    ("\u0644\u0644\u0647\u0627", "lil + 2"),
    ("\u0627\u0644\u0643\u062A\u0627\u0628", "alkitab"),
    ("\u0648\u0627\u0644\u0643\u062A\u0627\u0628", "walkitab"),
    ("\u0628\u0627\u0644\u0643\u062A\u0627\u0628", "bilkitab"),
    ("\u0643\u0627\u0644\u0643\u062A\u0627\u0628", "kalkitab"),
    ("\u0641\u0627\u0644\u0643\u062A\u0627\u0628", "falkitab"),
    ("\u0644\u0644\u0643\u062A\u0627\u0628", "lilkitab"),
    ("\u0648\u0644\u0644\u0643\u062A\u0627\u0628", "walilkitab"),
    ("\u0648\u0643\u062A\u0627\u0628", "wakitab"),
    ("\u0648\u0648\u062C\u062F", "waw before waw"),
    ("\u0648\u0648\u0627\u0644\u0643\u062A\u0627\u0628", "double wa + al"),
    # suffix-only and stacked suffixes
    ("\u0647\u0627", "ha alone"),
    ("\u0627\u0646", "an alone"),
    ("\u0627\u062A", "at alone"),
    ("\u0648\u0646", "un alone"),
    ("\u064A\u0646", "in alone"),
    ("\u064A\u0647", "yh alone"),
    ("\u064A\u0629", "iyya alone"),
    ("\u0647\u0627\u0647\u0627", "ha ha"),
    ("\u0648\u0646\u0647\u0627", "un + ha"),
    ("\u0643\u062A\u0628\u0647\u0627", "kutubuha"),
    ("\u0645\u0639\u0644\u0645\u0648\u0646", "mu'allimun"),
    ("\u0645\u0639\u0644\u0645\u0627\u062A", "mu'allimat"),
    ("\u0627\u0644\u0645\u0639\u0644\u0645\u064A\u0646", "al + in"),
    ("\u0633\u064A\u0627\u0633\u064A\u0629", "iyya"),
    ("\u0633\u064A\u0627\u0633\u064A\u0647", "iyyh"),
    ("\u0643\u062A\u0627\u0628\u064A", "ya suffix"),
    ("\u0643\u062A\u0628\u062A\u0645\u0644", "ISRI tml suffix"),
    ("\u0641\u0633\u064A\u0643\u0641\u064A\u0643\u0647\u0645", "fasayakfikahum"),
    ("\u0648\u0628\u0627\u0644\u0627\u0633\u062A\u0631\u0627\u062A\u064A\u062C\u064A\u0627\u062A", "long word"),
    ("\u0627\u0633\u062A\u062E\u062F\u0645", "istafala"),
    ("\u0645\u0633\u062A\u062E\u062F\u0645", "mustafil"),
    ("\u062A\u0641\u0627\u0639\u064A\u0644", "tafail pattern"),
    ("\u0627\u062D\u0645\u0648\u0645\u0631", "if'aw'al pattern"),
    ("\u0645\u062A\u062F\u062D\u0631\u062C", "mutafa'lil"),
    ("\u0627\u0642\u0634\u0639\u0631\u0627\u0631", "if'illal"),
    # presentation forms, Persian letters, mixed scripts, invisible marks
    ("\uFEFB", "lam-alef ligature"),
    ("\uFDF2", "allah ligature"),
    ("\uFE8D\uFEDF\uFEDC\uFE98\uFE8E\uFE8F", "presentation forms"),
    ("\u06CC", "Persian yeh"),
    ("\u06A9", "Persian kaf"),
    ("\u06A9\u062A\u0627\u0628", "Persian kaf word"),
    ("\u06CC\u06A9", "Persian yek"),
    ("\u067E\u0698\u0648\u0647\u0634", "Persian pazhuhesh"),
    ("\u0686\u0627\u06CC", "Persian chay"),
    ("\u06AF\u0641\u062A", "Persian goft"),
    ("\u0627\u0644\u06A9\u062A\u0627\u0628\u06CC", "al + Persian letters"),
    ("abc", "Latin"),
    ("ABC\u0627\u0644", "Latin + al"),
    ("\u0627\u0644google", "al + Latin"),
    ("iPhone\u0627\u0644\u062C\u062F\u064A\u062F", "Latin + Arabic"),
    ("\u0627\u0644\u0640Google", "al + tatweel + Latin"),
    ("2015", "ASCII digits"),
    ("\u0662\u0660\u0661\u0665", "Arabic-Indic digits"),
    ("\u0627\u0644\u0662\u0660\u0661\u0665", "al + digits"),
    ("\u0648\u0627\u0644\u0031\u0032", "wal + ASCII digits"),
    ("\u0627\u0644\u200C\u0643\u062A\u0627\u0628", "ZWNJ inside"),
    ("\u0627\u0644\u0643\u062A\u0627\u0628\u200F", "RLM at end"),
    ("\u0627\u0644\u0643\u062A\u0627\u0628\u060C", "Arabic comma at end"),
    ("\U0001F600\u0647\u0627", "emoji + ha (UTF-16 length)"),
    ("\U0001F600\u0627\u0644\u0643", "emoji + al (UTF-16 length)"),
    ("\u0627\u0644\U0001F600\U0001F600", "al + emoji"),
    ("\u0648\U0001D400\U0001D400", "wa + astral letters"),
    ("\U0001D400\u064A", "astral letter + yeh"),
    ("\u00E9\u0627\u0644", "Latin-1 + al"),
]


def read_counts(data_dir):
    counts = collections.Counter()
    zips = sorted(glob.glob(os.path.join(data_dir, "*.zip")))
    if not zips:
        sys.exit(f"no *.zip in {data_dir}")
    for path in zips:
        with zipfile.ZipFile(path) as zf:
            for name in zf.namelist():
                if not name.endswith(".json"):
                    continue
                for article in json.loads(zf.read(name).decode("utf-8")):
                    for field in ("title", "content"):
                        counts.update(ARABIC_RUN.findall(article.get(field) or ""))
    return counts


def find_jar(jar_dir, prefix):
    jars = sorted(glob.glob(os.path.join(jar_dir, prefix + "-[0-9]*.jar")))
    if not jars:
        sys.exit(f"no {prefix}-*.jar in {jar_dir} (apt-get install liblucene8-java)")
    return jars[-1]


def run_lucene(words, jar_dir):
    """Returns [(single_token, stem)] for words, via the Java program."""
    classpath = [find_jar(jar_dir, "lucene-core"), find_jar(jar_dir, "lucene-analyzers-common")]
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            ["javac", "-nowarn", "-cp", ":".join(classpath), "-d", tmp, JAVA_SRC], check=True
        )
        data = "".join(w + "\n" for w in words).encode("utf-8")
        proc = subprocess.run(
            ["java", "-cp", ":".join([tmp] + classpath), "LuceneArabicStem"],
            input=data,
            stdout=subprocess.PIPE,
            check=True,
        )
    lines = proc.stdout.decode("utf-8").split("\n")
    assert lines[-1] == "", "Java output must end with a newline"
    lines = lines[:-1]
    if len(lines) != len(words):
        sys.exit(f"Lucene returned {len(lines)} lines for {len(words)} words")
    out = []
    for line in lines:
        single, stem = line.split("\t", 1)
        out.append((single == "1", stem))
    return out


def check_word(word):
    bad = {"\t", "\n", "\r"}
    if not word or bad & set(word):
        sys.exit(f"unusable fixture word {word!r}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default="../shared/data/saudinewsnet")
    ap.add_argument("--out", default="fixtures/stem/stems.tsv")
    ap.add_argument("--top", type=int, default=50000)
    ap.add_argument("--lucene-jars", default="/usr/share/java")
    args = ap.parse_args()

    counts = read_counts(args.data)
    # Extra candidates make up for runs that StandardTokenizer would split.
    candidates = [w for w, _ in counts.most_common(args.top + args.top // 10)]
    for w in candidates:
        check_word(w)
    lucene = run_lucene(candidates, args.lucene_jars)
    corpus_words = [(w, stem) for w, (single, stem) in zip(candidates, lucene) if single]
    split = len(candidates) - len(corpus_words)
    corpus_words = corpus_words[: args.top]
    if len(corpus_words) < args.top:
        sys.exit(f"only {len(corpus_words)} single-token words")

    seen = {w for w, _ in corpus_words}
    edges = []
    for w, _why in EDGE_CASES:
        check_word(w)
        if w not in seen:
            seen.add(w)
            edges.append(w)
    edge_stems = [stem for _, stem in run_lucene(edges, args.lucene_jars)]

    rows = [(w, s) for w, s in zip(edges, edge_stems)] + corpus_words
    isri = ISRIStemmer()
    snowball = Stemmer.Stemmer("arabic")
    os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        f.write("word\tlucene\tisri\tpystemmer\n")
        for word, lucene_stem in rows:
            fields = [word, lucene_stem, isri.stem(word), snowball.stemWord(word)]
            for field in fields:
                assert not ({"\t", "\n", "\r"} & set(field)), repr(fields)
            f.write("\t".join(fields) + "\n")

    print(
        f"{args.out}: {len(edges)} edge cases + {len(corpus_words)} corpus words "
        f"({split} of the top {len(candidates)} runs split by StandardTokenizer); "
        f"nltk {nltk.__version__}, PyStemmer {Stemmer.version()}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
