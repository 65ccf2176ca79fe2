#!/usr/bin/env python3
"""Generate the transliteration parity fixtures in fixtures/translit/.

The expected outputs come from CAMeL Tools' builtin character maps
(camel_tools.utils.charmap.CharMapper.builtin_mapper): ar2bw, ar2safebw,
bw2ar, bw2safebw, safebw2ar and safebw2bw. qalam's `translit` module must
reproduce them exactly.

Setup:  pip install --no-deps camel-tools six emoji regex
Usage:  python3 scripts/translit_fixtures.py [--data ../shared/data] [--out fixtures/translit]

Inputs (one per TSV row, never containing TAB, LF or CR):
  * sentences of the seed column, in pieces of at most MAX_WORDS words (../shared/data/seed/ahram-column-daesh.txt),
  * vocalized sentences of UD Arabic-PADT dev 2016 (../shared/data/ud-padt/dev-2016.conllu;
    that file has no `# text` lines, so a sentence is its FORM column joined by spaces,
    cut to at most MAX_WORDS words),
  * for the reverse directions, the transliterations of the seed pieces and of
    every other PADT sentence,
  * hand-written edge cases: every code point of the Arabic blocks and presentation
    forms, Persian/Urdu letters, hamza forms, ٱ, digits, punctuation, Latin, emoji,
    bidi/zero-width controls, and Buckwalter / safe Buckwalter strings using every
    printable ASCII character.

Output files (UTF-8, LF, first row is a header):
  ar.tsv      input, ar2bw(input), ar2safebw(input)
  bw.tsv      input, bw2ar(input), bw2safebw(input)
  safebw.tsv  input, safebw2ar(input), safebw2bw(input)
"""

import argparse
import os
import sys

from camel_tools.utils.charmap import CharMapper

MAX_WORDS = 20
PADT_EVERY = 6  # take every 6th PADT sentence
PRINTABLE_ASCII = "".join(chr(c) for c in range(0x20, 0x7F))


def seed_sentences(path):
    """Split the seed column at '.', '؟', '!' and line ends, in pieces of MAX_WORDS words."""
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            buf = []
            for ch in line.strip():
                buf.append(ch)
                if ch in ".؟!":
                    out.append("".join(buf).strip())
                    buf = []
            if buf:
                out.append("".join(buf).strip())
    pieces = []
    for s in out:
        w = s.split()
        pieces += [" ".join(w[i : i + MAX_WORDS]) for i in range(0, len(w), MAX_WORDS)]
    return pieces


def padt_sentences(path):
    """Vocalized sentences of a CoNLL-U file: FORMs joined by spaces."""
    sents, words = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                if words:
                    sents.append(words)
                words = []
            elif not line.startswith("#"):
                cols = line.split("\t")
                if "-" in cols[0] or "." in cols[0]:
                    continue
                words.append(cols[1])
    if words:
        sents.append(words)
    return [" ".join(w[:MAX_WORDS]) for i, w in enumerate(sents) if i % PADT_EVERY == 0]


def chunks(cps, n=32):
    """Strings of at most n consecutive code points, skipping TAB/LF/CR."""
    chars = [chr(c) for c in cps if chr(c) not in "\t\n\r"]
    return ["".join(chars[i : i + n]) for i in range(0, len(chars), n)]


def arabic_edge_cases():
    cases = [
        "",
        " ",
        "ءآأؤإئابةتثجحخدذرزسشصضطظعغـفقكلمنهوىي",
        "ًٌٍَُِّْٰ",
        "ٱلْحَمْدُ لِلَّهِ رَبِّ ٱلْعَٰلَمِينَ",
        "بِسْمِ ٱللَّهِ ٱلرَّحْمَٰنِ ٱلرَّحِيمِ",
        "مُحَمَّدٌ وَأَحْمَدُ وَإِبْرَاهِيمُ وَآدَمُ",
        "سُؤَالٌ رِئَةٌ شَيْءٌ مَسْؤُولٌ قِرَاءَةٌ",
        "ءَ أُ إِ آ ٱ ؤُ ئِ ى ة",
        "أٔ اٰ إ آ",  # combining hamza above/below and maddah (unmapped marks)
        "ـــــالله ـ كتـــاب",
        "پ چ ژ گ ک ی ۀ ڤ ڨ ٹ ڈ ڑ ں ے",
        "پاکستان چین گرگان ژاله",
        "٠١٢٣٤٥٦٧٨٩ ۰۱۲۳۴۵۶۷۸۹ 0123456789",
        "، ؛ ؟ « » ٪ ٫ ٬ ۔ – — … ( ) [ ]",
        "Hello, World! AFP 2017-07-15",
        PRINTABLE_ASCII,
        "الرئيس Trump قال: «لا»؟",
        "ﷲ ﻻ ﷺ ﷽ ﺍﻟﻌﺮﺑﻴﺔ",
        "كتاب\u200cها \u200dه \u200fمرحبا\u200e \u200b \u00a0 \u202bنص\u202c \u2066x\u2069 \u061c \ufeff",
        "Ünïcödé café naïve e\u0301",
        "Привет שלום 你好 😀👍🏽 𝔸",
        "ا ب ت ث ج ح خ د ذ ر ز س ش ص ض ط ظ ع غ ف ق ك ل م ن ه و ي",
        "\u00a0\u2028\u2029\u0085",
        "مدرسة_الحي <b>عنوان</b> & 'اقتباس'",
        "ǧ ḥ ḫ š ṣ ḍ ṭ ẓ ʿ ġ ʾ ā ī ū",
    ]
    cases += chunks(range(0x0600, 0x0700))
    cases += chunks(range(0x0750, 0x0780))
    cases += chunks(range(0x08A0, 0x0900))
    cases += chunks(range(0xFB50, 0xFE00), 64)
    cases += chunks(range(0xFE70, 0xFF00), 64)
    return cases


def bw_edge_cases():
    return [
        PRINTABLE_ASCII,
        "'|>&<}AbptvjHxd*rzs$SDTZEg_fqklmnhwYyFNKaui~o`{PJVG",
        "muHam~adN wa>aHmadu wa<ibrAhiymu wa|damu",
        "{loHamodu lil~hi rab~i {loEa`lamiyna",
        "su&AlN ri}apN $ayo'N maso&uwlN qirA'apN",
        "Vilom PAkistAn Jiyn GuwGul",
        "kitAb كتاب ktAb",
        "<ilaY Al>umami Almut~aHidapi",
        "CMOWIQ ceLB",  # safe-Buckwalter letters read as Buckwalter
        "0123456789 ٠١٢٣٤٥٦٧٨٩",
        "Hello, World!",
        "café naïve 😀 \u200f",
        "a\u0301 ~~ __ `` {{ }} || <> &&",
        "",
    ]


def safebw_edge_cases():
    return [
        PRINTABLE_ASCII,
        "CMOWIQAbptvjHxdVrzscSDTZEg_fqklmnhwYyFNKaui~oeLPJBG",
        "muHam~adN waOaHmadu waIibrAhiymu waMdamu",
        "LloHamodu lil~hi rab~i LloEaelamiyna",
        "suWAlN riQapN cayoCN masoWuwlN qirACapN",
        "Bilom PAkistAn Jiyn GuwGul",
        "kitAb كتاب ktAb",
        "IilaY AlOumami Almut~aHidapi",
        "'|>&<}*$`{",  # Buckwalter-only symbols read as safe Buckwalter
        "0123456789 ٠١٢٣٤٥٦٧٨٩",
        "Hello, World!",
        "café naïve 😀 \u200f",
        "",
    ]


def dedup(seq):
    seen, out = set(), []
    for s in seq:
        if s not in seen:
            seen.add(s)
            out.append(s)
    return out


def write_tsv(path, header, inputs, mappers):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("\t".join(header) + "\n")
        for s in inputs:
            if any(c in s for c in "\t\n\r"):
                raise ValueError(f"input contains TAB/LF/CR: {s!r}")
            f.write("\t".join([s] + [m(s) for m in mappers]) + "\n")
    print(f"{path}: {len(inputs)} rows, {os.path.getsize(path)} bytes", file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--out", default="fixtures/translit")
    args = ap.parse_args()

    m = {name: CharMapper.builtin_mapper(name) for name in
         ["ar2bw", "ar2safebw", "bw2ar", "bw2safebw", "safebw2ar", "safebw2bw"]}

    seed = seed_sentences(os.path.join(args.data, "seed", "ahram-column-daesh.txt"))
    padt = padt_sentences(os.path.join(args.data, "ud-padt", "dev-2016.conllu"))
    ar_inputs = dedup(seed + padt + arabic_edge_cases())

    # Reverse directions: transliterations of real text (which keep unmapped Arabic
    # punctuation and digits) plus hand-written strings.
    real = seed + padt[::2]
    bw_inputs = dedup([m["ar2bw"](s) for s in real] + bw_edge_cases())
    safebw_inputs = dedup([m["ar2safebw"](s) for s in real] + safebw_edge_cases())

    os.makedirs(args.out, exist_ok=True)
    write_tsv(os.path.join(args.out, "ar.tsv"), ["input", "ar2bw", "ar2safebw"],
              ar_inputs, [m["ar2bw"], m["ar2safebw"]])
    write_tsv(os.path.join(args.out, "bw.tsv"), ["input", "bw2ar", "bw2safebw"],
              bw_inputs, [m["bw2ar"], m["bw2safebw"]])
    write_tsv(os.path.join(args.out, "safebw.tsv"), ["input", "safebw2ar", "safebw2bw"],
              safebw_inputs, [m["safebw2ar"], m["safebw2bw"]])


if __name__ == "__main__":
    main()
