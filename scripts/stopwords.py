#!/usr/bin/env python3
"""Build crates/text/data/stopwords.txt from the two MIT-licensed Arabic stopword lists.

Usage: python3 scripts/stopwords.py [--data ../shared/data] [--out crates/text/data/stopwords.txt]

Steps: read both lists; normalize every entry with the SEARCH profile (the same folds as
qalam_text::normalize::Profile::Search, re-implemented below; a Rust test checks that each
entry is a fixed point of the real normalizer); drop what is not a single Arabic word and
the content words listed in DROP; deduplicate; sort by code point (= UTF-8 byte order, which
`is_stopword` relies on for binary search). Every DROP entry must match a list entry, so the
header never claims a removal that did not happen.
"""

import argparse
import os
import textwrap
import unicodedata

# ---------------------------------------------------------------- SEARCH-profile folds


def is_diacritic(c):
    o = ord(c)
    return (0x0610 <= o <= 0x061A or 0x064B <= o <= 0x065F or o == 0x0670
            or 0x06D6 <= o <= 0x06DC or 0x06DF <= o <= 0x06E4 or 0x06E7 <= o <= 0x06E8
            or 0x06EA <= o <= 0x06ED or 0x08D3 <= o <= 0x08E1 or 0x08E3 <= o <= 0x08FF)


def is_control(c):
    o = ord(c)
    return (0x200B <= o <= 0x200F or 0x202A <= o <= 0x202E or 0x2060 <= o <= 0x2064
            or 0x2066 <= o <= 0x2069 or o in (0x061C, 0xFEFF, 0x00AD))


def is_presentation_form(c):
    o = ord(c)
    return 0xFB50 <= o <= 0xFDFF or 0xFE70 <= o <= 0xFEFE


FOLD = {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "\u0672": "ا", "\u0673": "ا", "\u0675": "ا",
        "ى": "ي", "ی": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي", "ک": "ك", "\u066B": ".", "\u066C": ","}
FOLD.update({chr(0x0660 + d): str(d) for d in range(10)})
FOLD.update({chr(0x06F0 + d): str(d) for d in range(10)})


def fold_simple(c):
    if c.isascii():
        return c.lower()
    if is_diacritic(c) or c == "\u0640" or is_control(c):
        return ""
    if c in FOLD:
        return FOLD[c]
    return c.lower() if c.isupper() else c


def normalize_search(s):
    out = []
    for c in s:
        if is_presentation_form(c):
            out.extend(fold_simple(d) for d in unicodedata.normalize("NFKC", c))
        else:
            out.append(fold_simple(c))
    return "".join(out)


# ---------------------------------------------------------------- curation

# Removed entries, by reason. Written as in the lists; compared after normalization.
DROP = {
    "not a single Arabic word (punctuation, tatweel, encoding debris, typos, multi-word "
    "phrases whose words are listed on their own)": [
        "،", "ـ", "ا?", "ا?ى", "االا", "االتى", "و6", "تحت'", "وثي", "ليسب",
        "أفعل به", "ما أفعله", "ما انفك", "ما برح", "لا سيما",
    ],
    "month names (Gregorian, Levantine and Maghrebi): dates are searched for": [
        "يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر",
        "أكتوبر", "نوفمبر", "ديسمبر", "كانون", "شباط", "آذار", "نيسان", "أيار", "حزيران",
        "تموز", "آب", "أيلول", "تشرين", "جانفي", "فيفري", "أفريل", "ماي", "جوان",
        "جويلية", "أوت",
    ],
    "weekday names (الأحد stays: أحد is also 'one, anyone')": [
        "أربعاء", "ثلاثاء", "خميس", "جمعة", "سبت",
    ],
    "currencies": [
        "جنيه", "دولار", "دينار", "درهم", "ريال", "ليرة", "يورو", "شيكل", "فلس", "قرش",
        "مليم", "سنتيم", "هللة", "ين", "يوان",
    ],
    "names of letters, which in news text are content words (عين 'eye, appointed', "
    "خال 'uncle, free of', دال, سين ...)": [
        "باء", "تاء", "ثاء", "جيم", "حاء", "خاء", "دال", "ذال", "راء", "زاي", "سين", "شين",
        "صاد", "ضاد", "طاء", "ظاء", "عين", "غين", "فاء", "قاف", "كاف", "لام", "ميم", "نون",
        "هاء", "واو", "ياء", "همزة", "خال",
    ],
    "nouns of time, place and quantity with their own meaning (year, day, morning, "
    "north, force, visit, end, framework ...)": [
        "سنة", "سنوات", "عام", "عاما", "يوم", "ايام", "صباح", "صباحا", "مساء", "ضحوة",
        "الوقت", "أمد", "شمال", "يمين", "قوة", "زيارة", "نهاية", "اطار", "اعادة", "وجود",
        "شخصا", "رزق", "صبر", "صبرا", "شبه", "لقاء", "خاصة", "عامة", "صراحة", "إضافي",
        "السابق", "الذاتي",
    ],
    "words that are parts of names or collide with names after normalization (أبو, بن, "
    "آل in names; آمين folds to امين = أمين; باسم, عوض, معاذ, حبيب are given names; ديك as "
    "in Dick; kinship nouns of the 'five nouns')": [
        "أبو", "وأبو", "بن", "آل", "أب", "أبٌ", "أخ", "أخٌ", "أخو", "حم", "حمٌ", "حمو", "فو",
        "آمينَ", "باسم", "عوض", "معاذ", "حبيب", "ديك",
    ],
    "particles and interjections whose folded spelling is a common content word (حيَّ -> حي "
    "'district, alive', رُبَّ -> رب 'lord', خبَّر -> خبر 'news', نبَّا -> نبا = نبأ 'news', "
    "عَدَسْ 'lentils', تَيْنِ -> تين 'figs'), and ابين (the Yemeni province أبين)": [
        "حيَّ", "رُبَّ", "خبَّر", "نبَّا", "عَدَسْ", "تَيْنِ", "ابين",
    ],
    "news-agency debris (فرانس برس, للأمم المتحدة, لوكالة)": [
        "برس", "للامم", "لوكالة",
    ],
    "verbs with a meaning of their own (went, saw, knew, gave, took, returned, left, "
    "founded, turned into, commented, found ...) and the grammar-book templates of فعل; "
    "light and copular verbs (كان and its sisters, كاد, تم, قام, جعل, يمكن) and the "
    "reporting verbs قال and أضاف stay": [
        "ذهب", "رأى", "أرى", "درى", "علم", "أعلم", "تعلَّم", "زعم", "ظنَّ", "عدَّ", "وجد",
        "أعطى", "أطعم", "أسكن", "سقى", "كسا", "وهب", "أخبر", "أنبأ", "زود", "حدَث", "ترك",
        "أخذ", "اتخذ", "تخذ", "رجع", "عاد", "راح", "غادر", "ورد", "وقف", "علق", "انبرى",
        "أنشأ", "شرع", "ابتدأ", "أقبل", "كرب", "هبّ", "تحوّل", "انقلب", "تبدّل", "ارتدّ",
        "استحال", "ساء", "كلم", "جلل", "حجا", "حار", "فعل", "تفعلان", "تفعلون",
        "تفعلين", "يفعلان", "يفعلون", "اكد", "واكد", "اعلنت", "واوضح",
    ],
}


def read_list(path):
    with open(path, encoding="utf-8") as f:
        return [line.strip() for line in f if line.strip()]


def license_holder(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("Copyright"):
                return line.strip()
    raise ValueError(f"no copyright line in {path}")


def license_text(path):
    """The MIT notice below the copyright line (identical in both LICENSE files)."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().strip().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Permission"))
    return lines[start:]


def is_arabic_word(w):
    return w != "" and all("\u0621" <= c <= "\u064A" for c in w)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--out", default="crates/text/data/stopwords.txt")
    args = ap.parse_args()

    src = os.path.join(args.data, "stopwords")
    lists = {
        "mohataher": read_list(os.path.join(src, "mohataher-list.txt")),
        "stopwords-iso": read_list(os.path.join(src, "stopwords-iso-ar.txt")),
    }
    holders = {
        "mohataher": license_holder(os.path.join(src, "mohataher-LICENSE")),
        "stopwords-iso": license_holder(os.path.join(src, "stopwords-iso-LICENSE")),
    }

    raw = [w for ws in lists.values() for w in ws]
    norm_of = {w: normalize_search(w) for w in raw}
    present = set(norm_of.values())

    dropped = {}  # reason -> normalized words actually removed
    drop_norm = set()
    for reason, words in DROP.items():
        found = []
        for w in words:
            n = normalize_search(w)
            # Multi-word and debris entries are matched raw: they are dropped as written.
            if n not in present and w not in norm_of:
                raise SystemExit(f"DROP entry {w!r} ({n!r}) matches no list entry")
            found.append(n)
            drop_norm.add(n)
        dropped[reason] = sorted(set(found))

    kept = sorted({n for n in norm_of.values() if n not in drop_norm and is_arabic_word(n)})
    not_words = sorted({n for n in norm_of.values() if n not in drop_norm and not is_arabic_word(n)})
    if not_words:
        raise SystemExit(f"entries that are not single Arabic words and not in DROP: {not_words}")

    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        w = f.write
        w("# qalam Arabic stopwords: one word per line, SEARCH-normalized, sorted by code point.\n")
        w("# Generated by scripts/stopwords.py; edit DROP there and rerun, not this file.\n")
        w("#\n")
        w("# Sources (both MIT License; the notices are kept here as the licence requires):\n")
        w(f"#   mohataher/arabic-stop-words list.txt, {len(lists['mohataher'])} entries; {holders['mohataher']}\n")
        w(f"#   stopwords-iso/stopwords-ar, {len(lists['stopwords-iso'])} entries; {holders['stopwords-iso']}\n")
        w("#\n")
        for line in license_text(os.path.join(src, "mohataher-LICENSE")):
            w(("#   " + line).rstrip() + "\n")
        w("#\n")
        w(f"# {len(raw)} entries -> {len(present)} distinct after normalization -> {len(kept)} kept.\n")
        w("# Kept: pronouns, demonstratives, relatives, prepositions, conjunctions, particles,\n")
        w("# interrogatives, function adverbs, deictic time words (الان، امس، اليوم، غدا) and\n")
        w("# temporal/ordinal modifiers (الماضي، المقبل، الحالي، الاول), quantifiers, number words,\n")
        w("# interjections, single letters (clitics written apart), copular and light verbs, and\n")
        w("# news boilerplate (قال، وقال، واضاف).\n")
        w("# Dropped, by reason (normalized; _ stands for a space, (empty) for an entry that\n")
        w("# normalizes to nothing):\n")
        for reason, words in dropped.items():
            for part in textwrap.wrap(reason + ":", 88):
                w(f"#   {part}\n")
            line = "#     "
            for word in words:
                shown = word.replace(" ", "_") if word else "(empty)"
                if len(line) + len(shown) > 90:
                    w(line.rstrip() + "\n")
                    line = "#     "
                line += shown + " "
            w(line.rstrip() + "\n")
        for word in kept:
            w(word + "\n")
    print(f"{args.out}: {len(kept)} words ({len(raw)} entries, {len(present)} distinct normalized)")


if __name__ == "__main__":
    main()
