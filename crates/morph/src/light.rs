//! Light stemmer: a port of Lucene's `ArabicNormalizationFilter` + `ArabicStemFilter`.
//!
//! This is the stemmer behind the Lucene/Elasticsearch `arabic` analyzer (Larkey et al.'s
//! "light10" style): normalize, strip at most one prefix, then strip suffixes. Lucene measures
//! lengths in UTF-16 code units, so we do too; Arabic is all in the BMP, where a unit is a char.

const ALEF: char = '\u{0627}';
const YEH: char = '\u{064A}';
const HEH: char = '\u{0647}';

/// Prefixes in Lucene's order; the first that fits is removed.
const PREFIXES: [&str; 7] = [
    "\u{0627}\u{0644}",         // ال
    "\u{0648}\u{0627}\u{0644}", // وال
    "\u{0628}\u{0627}\u{0644}", // بال
    "\u{0643}\u{0627}\u{0644}", // كال
    "\u{0641}\u{0627}\u{0644}", // فال
    "\u{0644}\u{0644}",         // لل
    "\u{0648}",                 // و
];

/// Suffixes in Lucene's order; each one that fits is removed in turn.
/// (`ية` and `ة` cannot match after normalization but are kept for fidelity.)
const SUFFIXES: [&str; 10] = [
    "\u{0647}\u{0627}", // ها
    "\u{0627}\u{0646}", // ان
    "\u{0627}\u{062A}", // ات
    "\u{0648}\u{0646}", // ون
    "\u{064A}\u{0646}", // ين
    "\u{064A}\u{0647}", // يه
    "\u{064A}\u{0629}", // ية
    "\u{0647}",         // ه
    "\u{0629}",         // ة
    "\u{064A}",         // ي
];

/// Maps one char as Lucene's `ArabicNormalizer` does: `None` drops it.
#[inline]
fn normalize_char(c: char) -> Option<char> {
    match c {
        '\u{0622}' | '\u{0623}' | '\u{0625}' => Some(ALEF),
        '\u{0649}' => Some(YEH),
        '\u{0629}' => Some(HEH),
        '\u{0640}' | '\u{064B}'..='\u{0652}' => None,
        c => Some(c),
    }
}

/// Writes Lucene's Arabic normalization of `word` into `out` and returns its UTF-16 length.
fn normalize_counting(word: &str, out: &mut String) -> usize {
    out.clear();
    if word.is_ascii() {
        out.push_str(word);
        return word.len();
    }
    let mut len16 = 0;
    let bytes = word.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b0 = bytes[i];
        let c = if b0 < 0x80 {
            i += 1;
            b0 as char
        } else if (0xD8..=0xDB).contains(&b0) {
            // Two-byte U+0600–U+06FF (the input is valid UTF-8).
            let cp = 0x0600 | ((b0 as u32 & 0x03) << 6) | (bytes[i + 1] as u32 & 0x3F);
            i += 2;
            char::from_u32(cp).unwrap_or('\0')
        } else {
            let c = word[i..].chars().next().unwrap_or('\0');
            i += c.len_utf8();
            c
        };
        if let Some(c) = normalize_char(c) {
            out.push(c);
            len16 += c.len_utf16();
        }
    }
    len16
}

/// Writes Lucene's `ArabicNormalizer` output for `word` into `out` (cleared first).
pub fn normalize_into(word: &str, out: &mut String) {
    normalize_counting(word, out);
}

/// Returns Lucene's `ArabicNormalizer` output for `word`.
pub fn normalize(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    normalize_into(word, &mut out);
    out
}

/// Writes the light stem of `word` (normalization included) into `out` (cleared first).
pub fn light_stem_into(word: &str, out: &mut String) {
    let mut len = normalize_counting(word, out);
    // Every affix is made of two-byte Arabic letters, one UTF-16 unit each, so byte tests suffice
    // and the stem is cut out with one truncate and one drain.
    let b = out.as_bytes();
    let (mut start, mut end) = (0, b.len());
    // Prefix: Lucene's `startsWithCheckLength`.
    for prefix in PREFIXES {
        let p = prefix.as_bytes();
        let plen = p.len() / 2;
        let long_enough = if plen == 1 { len >= 4 } else { len >= plen + 2 };
        if long_enough && b.starts_with(p) {
            start = p.len();
            len -= plen;
            break;
        }
    }
    // Suffixes: Lucene's `endsWithCheckLength`, every suffix tried once in order.
    for suffix in SUFFIXES {
        let sfx = suffix.as_bytes();
        let slen = sfx.len() / 2;
        if len >= slen + 2 && b[start..end].ends_with(sfx) {
            end -= sfx.len();
            len -= slen;
        }
    }
    out.truncate(end);
    out.drain(..start);
}

/// Returns the light stem of `word`, as Lucene's Arabic normalization + stem filters would.
pub fn light_stem(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    light_stem_into(word, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_prefix_and_suffixes() {
        assert_eq!(light_stem("والكتاب"), "كتاب");
        assert_eq!(light_stem("مدرستها"), "مدرست");
        assert_eq!(light_stem("المدرسة"), "مدرس");
        assert_eq!(light_stem("سياسية"), "سياس");
    }

    #[test]
    fn normalizes_before_stemming() {
        assert_eq!(normalize("أَحْمَدُ"), "احمد");
        assert_eq!(normalize("إلى"), "الي");
        assert_eq!(normalize("الكتـــاب"), "الكتاب");
        assert_eq!(normalize("ﻻ"), "ﻻ");
    }

    #[test]
    fn short_words_keep_their_affixes() {
        assert_eq!(light_stem("ولد"), "ولد");
        assert_eq!(light_stem("الا"), "الا");
        assert_eq!(light_stem("ها"), "ها");
        assert_eq!(light_stem(""), "");
        assert_eq!(light_stem("ـ"), "");
    }

    #[test]
    fn test_utf16_length_of_astral_chars() {
        // An astral char counts as two UTF-16 units in Lucene, so the suffix goes.
        assert_eq!(light_stem("😀ها"), "😀");
        assert_eq!(light_stem("مها"), "مها");
    }

    #[test]
    fn into_reuses_the_buffer() {
        let mut buf = String::from("junk");
        light_stem_into("بالكتاب", &mut buf);
        assert_eq!(buf, "كتاب");
        light_stem_into("abc", &mut buf);
        assert_eq!(buf, "abc");
    }
}
