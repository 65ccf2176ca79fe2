#!/usr/bin/env python3
"""Write the conlleval parity fixtures of crates/tagger/tests/ner_conlleval.rs.

Usage: scripts/conlleval_fixtures.py PATH/TO/conlleval.pl [OUT_DIR]

Each case NAME.txt has `token gold pred` lines with blank lines between sentences; NAME.out is
what CoNLL's conlleval.pl (version 2004-01-26, run with perl) prints for it. conlleval.pl itself
is not part of this repository: pass the path of a copy.
"""

import os
import random
import subprocess
import sys

HAND = {
    # Exact matches, a wrong type, a missed entity and a spurious one.
    "basic": [
        [("a", "B-PERS", "B-PERS"), ("b", "I-PERS", "I-PERS"), ("c", "O", "O"), ("d", "B-LOC", "B-ORG")],
        [("e", "B-ORG", "O"), ("f", "O", "B-MISC"), ("g", "B-LOC", "B-LOC")],
    ],
    # I- after O (or at a sentence start) starts a chunk, on either side.
    "inside_starts": [
        [("a", "I-PERS", "I-PERS"), ("b", "I-PERS", "I-PERS"), ("c", "O", "O"), ("d", "O", "I-LOC")],
        [("e", "I-ORG", "B-ORG"), ("f", "I-ORG", "I-ORG"), ("g", "O", "O")],
    ],
    # A type change inside a run of I- tags ends one chunk and starts another.
    "type_change": [
        [("a", "B-PERS", "B-PERS"), ("b", "I-PERS", "I-LOC"), ("c", "I-PERS", "I-LOC"), ("d", "B-LOC", "B-LOC")],
        [("e", "B-ORG", "B-ORG"), ("f", "I-LOC", "I-LOC"), ("g", "I-LOC", "I-LOC")],
    ],
    # Boundaries: a chunk at the end of a sentence, B-B sequences, span too long / too short.
    "boundaries": [
        [("a", "O", "O"), ("b", "B-MISC", "B-MISC"), ("c", "I-MISC", "I-MISC")],
        [("d", "I-MISC", "I-MISC"), ("e", "B-LOC", "B-LOC"), ("f", "B-LOC", "I-LOC")],
        [("g", "B-PERS", "B-PERS"), ("h", "I-PERS", "O"), ("i", "O", "B-PERS"), ("j", "B-ORG", "B-ORG"), ("k", "O", "I-ORG")],
    ],
    # Nothing predicted at all; then a prediction where gold has nothing.
    "empty_sides": [
        [("a", "B-PERS", "O"), ("b", "I-PERS", "O"), ("c", "B-LOC", "O")],
        [("d", "O", "B-ORG"), ("e", "O", "O")],
    ],
}


def random_case(seed, sentences, tags):
    rng = random.Random(seed)
    out = []
    for _ in range(sentences):
        sent = []
        for i in range(rng.randint(1, 25)):
            gold = rng.choice(tags)
            pred = gold if rng.random() < 0.7 else rng.choice(tags)
            sent.append((f"w{i}", gold, pred))
        out.append(sent)
    return out


def main():
    perl_script = sys.argv[1]
    out_dir = sys.argv[2] if len(sys.argv) > 2 else "crates/tagger/tests/fixtures/conlleval"
    tags = ["O"] * 6 + [f"{b}-{t}" for b in "BI" for t in ("PERS", "LOC", "ORG", "MISC")]
    cases = dict(HAND)
    cases["random_small"] = random_case(1, 40, tags)
    cases["random_large"] = random_case(2, 120, tags)
    for name, sents in cases.items():
        text = "\n\n".join("\n".join(" ".join(t) for t in s) for s in sents) + "\n"
        with open(os.path.join(out_dir, name + ".txt"), "w") as f:
            f.write(text)
        res = subprocess.run(["perl", perl_script], input=text.encode(), capture_output=True, check=True)
        with open(os.path.join(out_dir, name + ".out"), "wb") as f:
            f.write(res.stdout)


if __name__ == "__main__":
    main()
