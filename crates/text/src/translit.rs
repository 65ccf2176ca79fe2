//! Buckwalter and safe-Buckwalter transliteration, character for character identical to
//! CAMeL Tools' builtin charmaps (`ar2bw`, `bw2ar`, `ar2safebw`, `safebw2ar`, `bw2safebw`,
//! `safebw2bw`).
//!
//! Each scheme maps the same 51 Arabic-script characters (hamza to yeh, tatweel, the eight
//! harakat, dagger alef, alef wasla, and پ چ ڤ گ) one to one onto 51 ASCII characters. Every
//! other character, in either direction, is copied unchanged.
//!
//! ```
//! use qalam_text::translit::{convert, from_translit, to_translit, Encoding, Scheme};
//!
//! assert_eq!(to_translit("مُحَمَّدٌ، ٢٠١٧", Scheme::Bw), "muHama~dN، ٢٠١٧");
//! assert_eq!(to_translit("أَشْيَاء", Scheme::SafeBw), "OacoyaAC");
//! assert_eq!(from_translit(">aHomad", Scheme::Bw), "أَحْمَد");
//! assert_eq!(convert("*ahab", Encoding::Bw, Encoding::SafeBw), "Vahab");
//! ```

use std::fmt;
use std::str::FromStr;

/// An ASCII transliteration scheme of Arabic script.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// Buckwalter, as in CAMeL Tools' `bw` (uses `' | > & < } * $ \` {`).
    Bw,
    /// Safe Buckwalter, as in CAMeL Tools' `safebw` (letters and `_ ~` only).
    SafeBw,
}

/// A writing of Arabic text: the Arabic script itself or one of the transliterations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// Arabic script (Unicode).
    Ar,
    /// Buckwalter transliteration.
    Bw,
    /// Safe-Buckwalter transliteration.
    SafeBw,
}

impl From<Scheme> for Encoding {
    fn from(s: Scheme) -> Encoding {
        match s {
            Scheme::Bw => Encoding::Bw,
            Scheme::SafeBw => Encoding::SafeBw,
        }
    }
}

/// The error returned when a scheme or encoding name is not recognized.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseEncodingError {
    name: String,
    expected: &'static str,
}

impl fmt::Display for ParseEncodingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown encoding {:?} (expected {})",
            self.name, self.expected
        )
    }
}

impl std::error::Error for ParseEncodingError {}

impl FromStr for Encoding {
    type Err = ParseEncodingError;

    fn from_str(s: &str) -> Result<Encoding, ParseEncodingError> {
        match s.to_ascii_lowercase().as_str() {
            "ar" | "arabic" => Ok(Encoding::Ar),
            "bw" | "buckwalter" => Ok(Encoding::Bw),
            "safebw" => Ok(Encoding::SafeBw),
            _ => Err(ParseEncodingError {
                name: s.to_string(),
                expected: "ar, bw or safebw",
            }),
        }
    }
}

impl FromStr for Scheme {
    type Err = ParseEncodingError;

    fn from_str(s: &str) -> Result<Scheme, ParseEncodingError> {
        match s.parse::<Encoding>() {
            Ok(Encoding::Bw) => Ok(Scheme::Bw),
            Ok(Encoding::SafeBw) => Ok(Scheme::SafeBw),
            _ => Err(ParseEncodingError {
                name: s.to_string(),
                expected: "bw or safebw",
            }),
        }
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Encoding::Ar => "ar",
            Encoding::Bw => "bw",
            Encoding::SafeBw => "safebw",
        })
    }
}

impl fmt::Display for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        Encoding::from(*self).fmt(f)
    }
}

/// The mapped characters: (Arabic, Buckwalter, safe Buckwalter), from CAMeL Tools' charmaps.
const ALPHABET: [(char, u8, u8); 51] = [
    ('\u{0621}', b'\'', b'C'), // ء
    ('\u{0622}', b'|', b'M'),  // آ
    ('\u{0623}', b'>', b'O'),  // أ
    ('\u{0624}', b'&', b'W'),  // ؤ
    ('\u{0625}', b'<', b'I'),  // إ
    ('\u{0626}', b'}', b'Q'),  // ئ
    ('\u{0627}', b'A', b'A'),  // ا
    ('\u{0628}', b'b', b'b'),  // ب
    ('\u{0629}', b'p', b'p'),  // ة
    ('\u{062A}', b't', b't'),  // ت
    ('\u{062B}', b'v', b'v'),  // ث
    ('\u{062C}', b'j', b'j'),  // ج
    ('\u{062D}', b'H', b'H'),  // ح
    ('\u{062E}', b'x', b'x'),  // خ
    ('\u{062F}', b'd', b'd'),  // د
    ('\u{0630}', b'*', b'V'),  // ذ
    ('\u{0631}', b'r', b'r'),  // ر
    ('\u{0632}', b'z', b'z'),  // ز
    ('\u{0633}', b's', b's'),  // س
    ('\u{0634}', b'$', b'c'),  // ش
    ('\u{0635}', b'S', b'S'),  // ص
    ('\u{0636}', b'D', b'D'),  // ض
    ('\u{0637}', b'T', b'T'),  // ط
    ('\u{0638}', b'Z', b'Z'),  // ظ
    ('\u{0639}', b'E', b'E'),  // ع
    ('\u{063A}', b'g', b'g'),  // غ
    ('\u{0640}', b'_', b'_'),  // tatweel
    ('\u{0641}', b'f', b'f'),  // ف
    ('\u{0642}', b'q', b'q'),  // ق
    ('\u{0643}', b'k', b'k'),  // ك
    ('\u{0644}', b'l', b'l'),  // ل
    ('\u{0645}', b'm', b'm'),  // م
    ('\u{0646}', b'n', b'n'),  // ن
    ('\u{0647}', b'h', b'h'),  // ه
    ('\u{0648}', b'w', b'w'),  // و
    ('\u{0649}', b'Y', b'Y'),  // ى
    ('\u{064A}', b'y', b'y'),  // ي
    ('\u{064B}', b'F', b'F'),  // fathatan
    ('\u{064C}', b'N', b'N'),  // dammatan
    ('\u{064D}', b'K', b'K'),  // kasratan
    ('\u{064E}', b'a', b'a'),  // fatha
    ('\u{064F}', b'u', b'u'),  // damma
    ('\u{0650}', b'i', b'i'),  // kasra
    ('\u{0651}', b'~', b'~'),  // shadda
    ('\u{0652}', b'o', b'o'),  // sukun
    ('\u{0670}', b'`', b'e'),  // dagger alef
    ('\u{0671}', b'{', b'L'),  // ٱ alef wasla
    ('\u{067E}', b'P', b'P'),  // پ
    ('\u{0686}', b'J', b'J'),  // چ
    ('\u{06A4}', b'V', b'B'),  // ڤ
    ('\u{06AF}', b'G', b'G'),  // گ
];

/// First and last mapped Arabic code points; all of them encode as two UTF-8 bytes.
const AR_FIRST: u32 = 0x0621;
const AR_LAST: u32 = 0x06AF;
const AR_SPAN: usize = (AR_LAST - AR_FIRST + 1) as usize;

/// Arabic code point (offset by `AR_FIRST`) to ASCII byte, 0 when unmapped.
type ArTable = [u8; AR_SPAN];
/// ASCII byte to Arabic char, `'\0'` when unmapped.
type ToArTable = [char; 128];
/// ASCII byte to ASCII byte, 0 when unmapped.
type AsciiTable = [u8; 128];

const fn column(entry: (char, u8, u8), enc: Encoding) -> u8 {
    match enc {
        Encoding::Bw => entry.1,
        Encoding::SafeBw => entry.2,
        Encoding::Ar => 0,
    }
}

const fn ar_table(to: Encoding) -> ArTable {
    let mut t = [0u8; AR_SPAN];
    let mut i = 0;
    while i < ALPHABET.len() {
        t[(ALPHABET[i].0 as u32 - AR_FIRST) as usize] = column(ALPHABET[i], to);
        i += 1;
    }
    t
}

const fn to_ar_table(from: Encoding) -> ToArTable {
    let mut t = ['\0'; 128];
    let mut i = 0;
    while i < ALPHABET.len() {
        t[column(ALPHABET[i], from) as usize] = ALPHABET[i].0;
        i += 1;
    }
    t
}

const fn ascii_table(from: Encoding, to: Encoding) -> AsciiTable {
    let mut t = [0u8; 128];
    let mut i = 0;
    while i < ALPHABET.len() {
        t[column(ALPHABET[i], from) as usize] = column(ALPHABET[i], to);
        i += 1;
    }
    t
}

static AR_TO_BW: ArTable = ar_table(Encoding::Bw);
static AR_TO_SAFEBW: ArTable = ar_table(Encoding::SafeBw);
static BW_TO_AR: ToArTable = to_ar_table(Encoding::Bw);
static SAFEBW_TO_AR: ToArTable = to_ar_table(Encoding::SafeBw);
static BW_TO_SAFEBW: AsciiTable = ascii_table(Encoding::Bw, Encoding::SafeBw);
static SAFEBW_TO_BW: AsciiTable = ascii_table(Encoding::SafeBw, Encoding::Bw);

/// Transliterates Arabic-script text into `scheme`, leaving unmapped characters unchanged.
pub fn to_translit(s: &str, scheme: Scheme) -> String {
    convert(s, Encoding::Ar, scheme.into())
}

/// Converts `scheme` text back into Arabic script, leaving unmapped characters unchanged.
pub fn from_translit(s: &str, scheme: Scheme) -> String {
    convert(s, scheme.into(), Encoding::Ar)
}

/// Converts text from one encoding to another (a copy when they are the same).
pub fn convert(s: &str, from: Encoding, to: Encoding) -> String {
    let mut out = String::new();
    convert_into(s, from, to, &mut out);
    out
}

/// Appends the conversion of `s` from one encoding to another to `out`.
pub fn convert_into(s: &str, from: Encoding, to: Encoding, out: &mut String) {
    match (from, to) {
        (Encoding::Ar, Encoding::Bw) => ar_to_ascii(s, &AR_TO_BW, out),
        (Encoding::Ar, Encoding::SafeBw) => ar_to_ascii(s, &AR_TO_SAFEBW, out),
        (Encoding::Bw, Encoding::Ar) => ascii_to_ar(s, &BW_TO_AR, out),
        (Encoding::SafeBw, Encoding::Ar) => ascii_to_ar(s, &SAFEBW_TO_AR, out),
        (Encoding::Bw, Encoding::SafeBw) => ascii_to_ascii(s, &BW_TO_SAFEBW, out),
        (Encoding::SafeBw, Encoding::Bw) => ascii_to_ascii(s, &SAFEBW_TO_BW, out),
        (Encoding::Ar, Encoding::Ar)
        | (Encoding::Bw, Encoding::Bw)
        | (Encoding::SafeBw, Encoding::SafeBw) => out.push_str(s),
    }
}

/// Replaces mapped Arabic chars (all two-byte, lead byte 0xD8..=0xDA) with ASCII bytes,
/// copying the unmapped runs between them as slices.
fn ar_to_ascii(s: &str, table: &ArTable, out: &mut String) {
    let bytes = s.as_bytes();
    out.reserve(s.len());
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        let lead = bytes[i];
        if (0xD8..=0xDA).contains(&lead) {
            if let Some(&cont) = bytes.get(i + 1) {
                let cp = (u32::from(lead & 0x1F) << 6) | u32::from(cont & 0x3F);
                let mapped = cp.checked_sub(AR_FIRST).and_then(|k| table.get(k as usize));
                if let Some(&m) = mapped.filter(|&&m| m != 0) {
                    out.push_str(&s[copied..i]);
                    out.push(char::from(m));
                    copied = i + 2;
                }
            }
            i += 2;
        } else {
            i += 1;
        }
    }
    out.push_str(&s[copied..]);
}

/// Replaces mapped ASCII bytes with Arabic chars, copying the runs between them.
fn ascii_to_ar(s: &str, table: &ToArTable, out: &mut String) {
    out.reserve(s.len() * 2);
    let mut copied = 0;
    for (i, &b) in s.as_bytes().iter().enumerate() {
        if b < 0x80 {
            let c = table[usize::from(b)];
            if c != '\0' {
                out.push_str(&s[copied..i]);
                out.push(c);
                copied = i + 1;
            }
        }
    }
    out.push_str(&s[copied..]);
}

/// Replaces mapped ASCII bytes with other ASCII bytes, copying the runs between them.
fn ascii_to_ascii(s: &str, table: &AsciiTable, out: &mut String) {
    out.reserve(s.len());
    let mut copied = 0;
    for (i, &b) in s.as_bytes().iter().enumerate() {
        if b < 0x80 {
            let m = table[usize::from(b)];
            if m != 0 && m != b {
                out.push_str(&s[copied..i]);
                out.push(char::from(m));
                copied = i + 1;
            }
        }
    }
    out.push_str(&s[copied..]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const ENCODINGS: [Encoding; 3] = [Encoding::Ar, Encoding::Bw, Encoding::SafeBw];

    /// The characters an encoding maps (its side of `ALPHABET`).
    fn alphabet(enc: Encoding) -> Vec<char> {
        ALPHABET
            .iter()
            .map(|&e| match enc {
                Encoding::Ar => e.0,
                _ => char::from(column(e, enc)),
            })
            .collect()
    }

    /// Checks every row of a fixture made by scripts/translit_fixtures.py, whose columns are
    /// the input and its conversions to the two other encodings; returns the row count.
    fn check_fixture(tsv: &str, from: Encoding) -> usize {
        let targets: Vec<Encoding> = ENCODINGS.into_iter().filter(|&e| e != from).collect();
        let mut lines = tsv.lines();
        let header: Vec<&str> = lines.next().expect("header").split('\t').collect();
        let names: Vec<String> = targets.iter().map(|to| format!("{from}2{to}")).collect();
        assert_eq!(header, ["input", &names[0], &names[1]]);
        let mut rows = 0;
        for (n, line) in lines.enumerate() {
            let f: Vec<&str> = line.split('\t').collect();
            assert_eq!(f.len(), 3, "row {}: {line:?}", n + 2);
            for (k, to) in targets.iter().enumerate() {
                let want = f[k + 1];
                assert_eq!(
                    convert(f[0], from, *to),
                    want,
                    "{}, row {}",
                    names[k],
                    n + 2
                );
            }
            rows += 1;
        }
        rows
    }

    /// All six directions agree with CAMeL Tools on every fixture row.
    #[test]
    fn matches_camel_tools() {
        let fixtures = [
            (
                include_str!("../../../fixtures/translit/ar.tsv"),
                Encoding::Ar,
                200,
            ),
            (
                include_str!("../../../fixtures/translit/bw.tsv"),
                Encoding::Bw,
                100,
            ),
            (
                include_str!("../../../fixtures/translit/safebw.tsv"),
                Encoding::SafeBw,
                100,
            ),
        ];
        for (tsv, from, min_rows) in fixtures {
            let rows = check_fixture(tsv, from);
            assert!(rows >= min_rows, "{from}: {rows} rows");
        }
    }

    #[test]
    fn alphabets_are_one_to_one() {
        for enc in ENCODINGS {
            let mut a = alphabet(enc);
            a.sort_unstable();
            a.dedup();
            assert_eq!(a.len(), ALPHABET.len(), "{enc}");
        }
        for &(ar, _, _) in &ALPHABET {
            assert_eq!(ar.len_utf8(), 2);
            assert!((AR_FIRST..=AR_LAST).contains(&(ar as u32)));
        }
    }

    #[test]
    fn names_parse_and_display() {
        for enc in ENCODINGS {
            assert_eq!(enc.to_string().parse::<Encoding>(), Ok(enc));
        }
        assert_eq!("SafeBW".parse::<Scheme>(), Ok(Scheme::SafeBw));
        assert_eq!("bw".parse::<Scheme>(), Ok(Scheme::Bw));
        assert!("ar".parse::<Scheme>().is_err());
        let err = "xmlbw".parse::<Encoding>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown encoding \"xmlbw\" (expected ar, bw or safebw)"
        );
    }

    #[test]
    fn unmapped_neighbours_pass_through() {
        // Code points just outside and between the mapped ones, including two-byte chars
        // with the same lead bytes (0xD8..=0xDA) as the mapped ones.
        let s = "\u{0600}\u{0620}\u{063B}\u{0653}\u{0654}\u{066A}\u{067F}\u{06B0}\u{06C1}é";
        for enc in [Encoding::Bw, Encoding::SafeBw] {
            assert_eq!(convert(s, Encoding::Ar, enc), s);
        }
        assert_eq!(convert("ktb", Encoding::Ar, Encoding::Bw), "ktb");
        assert_eq!(convert("كتب", Encoding::Bw, Encoding::Ar), "كتب");
    }

    #[test]
    fn convert_into_appends() {
        let mut out = String::from("> ");
        convert_into("سلام", Encoding::Ar, Encoding::Bw, &mut out);
        assert_eq!(out, "> slAm");
    }

    /// Strings mixing the mapped characters of every encoding with arbitrary ones.
    fn mixed_string() -> impl Strategy<Value = String> {
        let mut pool = alphabet(Encoding::Ar);
        pool.extend(alphabet(Encoding::Bw));
        pool.extend(alphabet(Encoding::SafeBw));
        let pick = prop_oneof![
            3 => proptest::sample::select(pool),
            1 => any::<char>(),
            1 => proptest::char::range('\u{0600}', '\u{06FF}'),
        ];
        proptest::collection::vec(pick, 0..40).prop_map(|v| v.into_iter().collect())
    }

    fn pairs() -> impl Strategy<Value = (Encoding, Encoding)> {
        let e = || proptest::sample::select(ENCODINGS.to_vec());
        (e(), e()).prop_filter("distinct", |(a, b)| a != b)
    }

    proptest! {
        /// From `from` to `to` and back is the identity exactly when every character is
        /// mapped by `from` or not mapped by `to`. In particular ar→bw→ar is the identity
        /// on any string without Buckwalter ASCII characters (Latin letters, `'|>&<}*$_~{\``),
        /// and bw→ar→bw on any string without the 51 mapped Arabic characters.
        #[test]
        fn round_trip_exactly_when_no_collision(s in mixed_string(), (from, to) in pairs()) {
            let back = convert(&convert(&s, from, to), to, from);
            let (src, dst) = (alphabet(from), alphabet(to));
            let clean = s.chars().all(|c| src.contains(&c) || !dst.contains(&c));
            prop_assert_eq!(back == s, clean, "{:?} {}->{}->{}: {:?}", s, from, to, from, back);
        }

        /// Strings made only of mapped characters always round-trip.
        #[test]
        fn round_trip_on_alphabet(
            idx in proptest::collection::vec(0..ALPHABET.len(), 0..60),
            (from, to) in pairs(),
        ) {
            let a = alphabet(from);
            let s: String = idx.iter().map(|&i| a[i]).collect();
            prop_assert_eq!(convert(&convert(&s, from, to), to, from), s);
        }

        /// Conversion works character by character: it commutes with concatenation.
        #[test]
        fn conversion_is_per_char(a in mixed_string(), b in mixed_string(), (from, to) in pairs()) {
            let joined = convert(&(a.clone() + &b), from, to);
            prop_assert_eq!(joined, convert(&a, from, to) + &convert(&b, from, to));
        }

        /// Transliterations contain no mapped Arabic character, and Arabic output contains no
        /// character of the source scheme's alphabet.
        #[test]
        fn output_leaves_no_source_character(s in mixed_string(), (from, to) in pairs()) {
            let out = convert(&s, from, to);
            let src = alphabet(from);
            prop_assert!(out.chars().all(|c| !src.contains(&c) || alphabet(to).contains(&c)));
        }
    }
}
