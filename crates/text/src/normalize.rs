//! Normalization of Arabic text that keeps an alignment to the original bytes.
//!
//! Every fold is a per-character rewrite (`fold_char`), so the same rules serve whole documents
//! (with an alignment, [`normalize`]) and single tokens on the hot path ([`normalize_into`]).

use std::fmt;
use std::ops::Range;
use std::str::FromStr;

use unicode_normalization::UnicodeNormalization;

use crate::chars::{digit_value, is_control, is_diacritic, is_presentation_form, is_tatweel};

/// Which folds to apply; each switch is independent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Options {
    /// Remove harakat, tanween, shadda, sukun, dagger alef and Quranic marks.
    pub diacritics: bool,
    /// Remove tatweel (U+0640).
    pub tatweel: bool,
    /// Fold أ إ آ ٱ (and other alef variants) to ا.
    pub alef: bool,
    /// Fold alef maksura ى and Persian yeh ی to ي.
    pub yeh: bool,
    /// Fold teh marbuta ة to ه.
    pub teh_marbuta: bool,
    /// Fold ؤ to و.
    pub hamza_waw: bool,
    /// Fold ئ to ي.
    pub hamza_yeh: bool,
    /// Fold Persian keheh ک to ك.
    pub kaf: bool,
    /// Arabic-Indic and Persian digits to ASCII; ٫ to '.' and ٬ to ','.
    pub digits: bool,
    /// Presentation forms and ligatures to their compatibility (NFKC) form.
    pub presentation: bool,
    /// Remove bidi and zero-width controls.
    pub controls: bool,
    /// Lower-case letters (Latin and other cased scripts).
    pub lowercase: bool,
}

impl Options {
    /// No fold at all.
    pub const NONE: Options = Options {
        diacritics: false,
        tatweel: false,
        alef: false,
        yeh: false,
        teh_marbuta: false,
        hamza_waw: false,
        hamza_yeh: false,
        kaf: false,
        digits: false,
        presentation: false,
        controls: false,
        lowercase: false,
    };
    /// Every fold: a superset of Lucene's ArabicNormalizer, for matching.
    pub const SEARCH: Options = Options {
        diacritics: true,
        tatweel: true,
        alef: true,
        yeh: true,
        teh_marbuta: true,
        hamza_waw: true,
        hamza_yeh: true,
        kaf: true,
        digits: true,
        presentation: true,
        controls: true,
        lowercase: true,
    };
    /// Only what never changes meaning: presentation forms, controls and tatweel.
    pub const DISPLAY: Options = Options {
        tatweel: true,
        presentation: true,
        controls: true,
        ..Options::NONE
    };
}

impl Default for Options {
    fn default() -> Self {
        Options::SEARCH
    }
}

/// A named set of folds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Profile {
    /// All folds, for search and matching.
    #[default]
    Search,
    /// Only meaning-preserving folds, for showing text.
    Display,
    /// Nothing changed.
    None,
}

impl Profile {
    /// The switches of this profile.
    pub fn options(self) -> Options {
        match self {
            Profile::Search => Options::SEARCH,
            Profile::Display => Options::DISPLAY,
            Profile::None => Options::NONE,
        }
    }
}

impl FromStr for Profile {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "search" => Ok(Profile::Search),
            "display" => Ok(Profile::Display),
            "none" => Ok(Profile::None),
            _ => Err(format!(
                "unknown normalization profile {s:?} (expected search, display or none)"
            )),
        }
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Profile::Search => "search",
            Profile::Display => "display",
            Profile::None => "none",
        })
    }
}

/// Applies every fold but presentation forms to one character, calling `emit` for each output char.
#[inline]
fn fold_simple(c: char, o: &Options, emit: &mut impl FnMut(char)) {
    if c.is_ascii() {
        if o.lowercase {
            emit(c.to_ascii_lowercase());
        } else {
            emit(c);
        }
        return;
    }
    if (o.diacritics && is_diacritic(c))
        || (o.tatweel && is_tatweel(c))
        || (o.controls && is_control(c))
    {
        return;
    }
    if o.lowercase && !('\u{0600}'..='\u{08FF}').contains(&c) && c.is_uppercase() {
        for l in c.to_lowercase() {
            emit(l);
        }
        return;
    }
    let out = match c {
        'أ' | 'إ' | 'آ' | 'ٱ' | '\u{0672}' | '\u{0673}' | '\u{0675}' if o.alef => 'ا',
        'ى' | 'ی' if o.yeh => 'ي',
        'ة' if o.teh_marbuta => 'ه',
        'ؤ' if o.hamza_waw => 'و',
        'ئ' if o.hamza_yeh => 'ي',
        'ک' if o.kaf => 'ك',
        '\u{066B}' if o.digits => '.',
        '\u{066C}' if o.digits => ',',
        _ if o.digits && digit_value(c).is_some() => (b'0' + digit_value(c).unwrap_or(0)) as char,
        _ => c,
    };
    emit(out);
}

/// Applies all enabled folds to one character, calling `emit` for each output char.
#[inline]
pub fn fold_char(c: char, o: &Options, emit: &mut impl FnMut(char)) {
    if o.presentation && is_presentation_form(c) {
        for d in std::iter::once(c).nfkc() {
            fold_simple(d, o, emit);
        }
    } else {
        fold_simple(c, o, emit);
    }
}

/// The search-profile fold of each char of the Arabic block U+0600–U+06FF; '\0' drops it.
static SEARCH_ARABIC_BLOCK: [char; 256] = {
    let mut table = ['\0'; 256];
    let mut i = 0;
    while i < 256 {
        let c = match char::from_u32(0x0600 + i as u32) {
            Some(c) => c,
            None => '\0',
        };
        table[i] = if is_diacritic(c) || is_tatweel(c) || is_control(c) {
            '\0'
        } else {
            match c {
                'أ' | 'إ' | 'آ' | 'ٱ' | '\u{0672}' | '\u{0673}' | '\u{0675}' => 'ا',
                'ى' | 'ی' | 'ئ' => 'ي',
                'ة' => 'ه',
                'ؤ' => 'و',
                'ک' => 'ك',
                '\u{066B}' => '.',
                '\u{066C}' => ',',
                _ => match digit_value(c) {
                    Some(d) => (b'0' + d) as char,
                    None => c,
                },
            }
        };
        i += 1;
    }
    table
};

/// Appends the normalization of `text` to `out`.
pub fn append_normalized(text: &str, o: &Options, out: &mut String) {
    if *o != Options::SEARCH {
        for c in text.chars() {
            fold_char(c, o, &mut |d| out.push(d));
        }
        return;
    }
    // Fast path of the search profile: ASCII and the Arabic block go through tables.
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b0 = bytes[i];
        if b0 < 0x80 {
            out.push(b0.to_ascii_lowercase() as char);
            i += 1;
        } else if (0xD8..=0xDB).contains(&b0) {
            // A two-byte sequence of U+0600–U+06FF (the input is valid UTF-8).
            let low = ((b0 as usize & 0x03) << 6) | (bytes[i + 1] as usize & 0x3F);
            let m = SEARCH_ARABIC_BLOCK[low];
            if m != '\0' {
                out.push(m);
            }
            i += 2;
        } else {
            let c = text[i..].chars().next().unwrap_or('\0');
            fold_char(c, o, &mut |d| out.push(d));
            i += c.len_utf8();
        }
    }
}

/// Normalizes `text` into `out` (cleared first), without keeping an alignment.
pub fn normalize_into(text: &str, o: &Options, out: &mut String) {
    out.clear();
    append_normalized(text, o, out);
}

/// Normalizes a string with a profile, without keeping an alignment.
pub fn normalize_str(text: &str, profile: Profile) -> String {
    let mut out = String::with_capacity(text.len());
    normalize_into(text, &profile.options(), &mut out);
    out
}

/// Normalized text with, for every normalized byte, the byte range of the original it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Normalized<'a> {
    original: &'a str,
    normalized: String,
    align: Vec<(u32, u32)>,
}

/// Normalizes `text` with `options`, keeping an alignment to the original bytes.
///
/// A removed character is attached to the preceding output character (or, at the start of the
/// text, to the following one), so a span of normalized text maps to the whole original word.
pub fn normalize<'a>(text: &'a str, o: &Options) -> Normalized<'a> {
    assert!(text.len() <= u32::MAX as usize, "text larger than 4 GiB");
    let mut normalized = String::with_capacity(text.len());
    let mut align: Vec<(u32, u32)> = Vec::with_capacity(text.len());
    let mut pending_start: Option<u32> = None;
    for (i, c) in text.char_indices() {
        let start = i as u32;
        let end = (i + c.len_utf8()) as u32;
        let before = normalized.len();
        fold_char(c, o, &mut |d| normalized.push(d));
        let after = normalized.len();
        if after == before {
            // Removed: widen the previous output char, or remember for the next one.
            if let Some(last) = align.last().copied() {
                let from = last.0;
                for a in align.iter_mut().rev().take_while(|a| a.0 == from) {
                    a.1 = end;
                }
            } else if pending_start.is_none() {
                pending_start = Some(start);
            }
        } else {
            let s = pending_start.take().unwrap_or(start);
            align.extend(std::iter::repeat_n((s, end), after - before));
        }
    }
    Normalized {
        original: text,
        normalized,
        align,
    }
}

impl<'a> Normalized<'a> {
    /// The original text.
    pub fn original(&self) -> &'a str {
        self.original
    }

    /// The normalized text.
    pub fn normalized(&self) -> &str {
        &self.normalized
    }

    /// The original byte range of each normalized byte.
    pub fn alignments(&self) -> &[(u32, u32)] {
        &self.align
    }

    /// Maps a byte range of the normalized text to the byte range of the original it came from.
    ///
    /// Returns `None` when the range is out of bounds or not on char boundaries.
    pub fn original_range(&self, range: Range<usize>) -> Option<Range<usize>> {
        let n = &self.normalized;
        if range.start > range.end
            || range.end > n.len()
            || !n.is_char_boundary(range.start)
            || !n.is_char_boundary(range.end)
        {
            return None;
        }
        if range.start == range.end {
            let at = match self.align.get(range.start) {
                Some(a) => a.0 as usize,
                None => self.original.len(),
            };
            return Some(at..at);
        }
        let start = self.align[range.start].0 as usize;
        let end = self.align[range.end - 1].1 as usize;
        Some(start..end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn search(s: &str) -> String {
        normalize_str(s, Profile::Search)
    }

    #[test]
    fn folds_of_the_search_profile() {
        assert_eq!(search("فى"), "في");
        assert_eq!(search("الأراضى"), "الاراضي");
        assert_eq!(search("إسلام آمن ٱلله"), "اسلام امن الله");
        assert_eq!(search("مدرسة"), "مدرسه");
        assert_eq!(search("مُؤْتَمَر رئيس"), "موتمر رييس");
        assert_eq!(search("شرقاً"), "شرقا");
        assert_eq!(search("عـــربي"), "عربي");
        assert_eq!(search("٣٫٥ و ١٬٠٠٠ و ۱۲"), "3.5 و 1,000 و 12");
        assert_eq!(search("ﻻ"), "لا");
        assert_eq!(search("ﻷ"), "لا");
        assert_eq!(
            search("a\u{200F}b\u{202B}c\u{2066}d\u{061C}e\u{200B}"),
            "abcde"
        );
        assert_eq!(search("NEWS Ünal"), "news ünal");
        assert_eq!(search("رَحْمٰن"), "رحمن");
        assert_eq!(search("کتاب فارسی"), "كتاب فارسي");
    }

    #[test]
    fn display_profile_keeps_meaning() {
        let d = |s| normalize_str(s, Profile::Display);
        assert_eq!(d("فى الأراضى"), "فى الأراضى");
        assert_eq!(d("عـــربيٌّ"), "عربيٌّ");
        assert_eq!(d("ﻻ\u{200F}"), "لا");
        assert_eq!(d("ﻵ"), "لآ");
        assert_eq!(d("٣"), "٣");
    }

    #[test]
    fn alignment_maps_back_to_original_words() {
        let text = "قالَ ﻻ (٤٠ألفاً)";
        let n = normalize(text, &Options::SEARCH);
        assert_eq!(n.normalized(), "قال لا (40الفا)");
        let norm = n.normalized();
        let s = norm.find("قال").unwrap();
        let r = n.original_range(s..s + "قال".len()).unwrap();
        assert_eq!(&text[r], "قالَ");
        let s = norm.find('ل').map(|_| norm.find("لا").unwrap()).unwrap();
        let r = n.original_range(s..s + 2).unwrap();
        assert_eq!(&text[r], "ﻻ");
        let s = norm.find("40").unwrap();
        let r = n.original_range(s..s + 2).unwrap();
        assert_eq!(&text[r], "٤٠");
        let s = norm.find("الفا").unwrap();
        let r = n.original_range(s..s + "الفا".len()).unwrap();
        assert_eq!(&text[r], "ألفاً");
        assert_eq!(n.original_range(0..1), None, "not a char boundary");
        assert_eq!(n.original_range(0..norm.len()), Some(0..text.len()));
    }

    #[test]
    fn leading_removed_chars_attach_to_next() {
        let text = "\u{200F}ـكتاب";
        let n = normalize(text, &Options::SEARCH);
        assert_eq!(n.normalized(), "كتاب");
        assert_eq!(n.original_range(0..2), Some(0..text.find('ك').unwrap() + 2));
    }

    #[test]
    fn search_fast_path_equals_char_folds() {
        let mut all = String::new();
        for cp in (0x0600..0x0700)
            .chain(0x08A0..0x0900)
            .chain([0x41, 0x5A, 0xC9, 0xFEFB, 0x200F])
        {
            all.extend(char::from_u32(cp));
        }
        let mut slow = String::new();
        for c in all.chars() {
            fold_char(c, &Options::SEARCH, &mut |d| slow.push(d));
        }
        assert_eq!(normalize_str(&all, Profile::Search), slow);
    }

    #[test]
    fn profile_names_parse() {
        assert_eq!("search".parse::<Profile>().unwrap(), Profile::Search);
        assert_eq!("display".parse::<Profile>().unwrap(), Profile::Display);
        assert!("bogus".parse::<Profile>().is_err());
        assert_eq!(Profile::Display.to_string(), "display");
    }
}
