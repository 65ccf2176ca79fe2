//! Tokens of raw Arabic text, each with its byte and char span in the original.

use std::fmt;

use crate::chars::{
    digit_value, is_arabic_letter, is_control, is_diacritic, is_emoji, is_emoji_modifier,
    is_latin_letter, is_punctuation, is_tatweel,
};
use crate::normalize::{Options, append_normalized};

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenKind {
    /// A word of Arabic (or another non-Latin) script, diacritics and tatweel included.
    Word,
    /// Digits, with inner decimal and thousands separators.
    Number,
    /// A punctuation mark.
    Punctuation,
    /// Any other visible character (%, $, +, …).
    Symbol,
    /// A word in Latin script (letters, then letters or digits).
    Latin,
    /// A web address.
    Url,
    /// An e-mail address.
    Email,
    /// A #hashtag.
    Hashtag,
    /// An @mention.
    Mention,
    /// An emoji with its modifiers.
    Emoji,
}

impl TokenKind {
    /// The lower-case name used in JSON and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            TokenKind::Word => "word",
            TokenKind::Number => "number",
            TokenKind::Punctuation => "punctuation",
            TokenKind::Symbol => "symbol",
            TokenKind::Latin => "latin",
            TokenKind::Url => "url",
            TokenKind::Email => "email",
            TokenKind::Hashtag => "hashtag",
            TokenKind::Mention => "mention",
            TokenKind::Emoji => "emoji",
        }
    }

    /// True for kinds that carry words to index (word, latin, number, hashtag, mention).
    pub fn is_wordlike(self) -> bool {
        matches!(
            self,
            TokenKind::Word
                | TokenKind::Latin
                | TokenKind::Number
                | TokenKind::Hashtag
                | TokenKind::Mention
        )
    }
}

impl fmt::Display for TokenKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A token span without its normalized form; `start..end` are byte offsets into the original.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    /// What the token is.
    pub kind: TokenKind,
    /// Byte offset of the first byte in the original.
    pub start: usize,
    /// Byte offset one past the last byte in the original.
    pub end: usize,
}

/// A token: kind, spans in the original (bytes and chars) and normalized form.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Token {
    /// What the token is.
    pub kind: TokenKind,
    /// Byte offset of the first byte in the original.
    pub start: usize,
    /// Byte offset one past the last byte in the original.
    pub end: usize,
    /// Char (Unicode scalar) offset of the first char in the original.
    pub char_start: usize,
    /// Char offset one past the last char in the original.
    pub char_end: usize,
    /// The normalized form (search profile).
    pub norm: String,
}

impl Token {
    /// The surface form: the slice of the original this token spans.
    pub fn text<'a>(&self, original: &'a str) -> &'a str {
        &original[self.start..self.end]
    }
}

#[inline]
fn is_word_mark(c: char) -> bool {
    is_diacritic(c) || is_tatweel(c) || c == '\u{200C}' || c == '\u{200D}'
}

#[inline]
fn is_word_char(c: char) -> bool {
    is_arabic_letter(c) || is_word_mark(c)
}

/// True for letters of other scripts (Cyrillic, Hebrew, CJK, …) grouped into word tokens.
#[inline]
fn is_other_letter(c: char) -> bool {
    !c.is_ascii() && c.is_alphabetic() && !is_latin_letter(c) && !is_arabic_letter(c)
}

#[inline]
fn is_url_char(c: char) -> bool {
    !c.is_whitespace() && !is_control(c) && !matches!(c, '"' | '<' | '>' | '«' | '»' | '،' | '؛')
}

/// Splits raw text into token spans; see [`tokenize`] for tokens with normalized forms.
#[derive(Clone, Debug, Default)]
pub struct Tokenizer;

impl Tokenizer {
    /// Calls `f` for every token span of `text`, in order.
    pub fn for_each(&self, text: &str, mut f: impl FnMut(Span)) {
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let c = char_at(text, i);
            let cl = c.len_utf8();
            if c.is_whitespace() || is_control(c) {
                i += cl;
                continue;
            }
            let (kind, end) = if let Some(end) = scan_url(text, i) {
                (TokenKind::Url, end)
            } else if c.is_ascii_alphanumeric()
                && let Some(end) = scan_email(bytes, i)
            {
                (TokenKind::Email, end)
            } else if is_word_char(c) {
                let end = scan_word(text, i);
                if is_arabic_letter(c) || text[i..end].chars().any(is_arabic_letter) {
                    (TokenKind::Word, end)
                } else {
                    (TokenKind::Symbol, end)
                }
            } else if digit_value(c).is_some() {
                (TokenKind::Number, scan_number(text, i))
            } else if is_latin_letter(c) {
                let end = scan_while(text, i, |d| is_latin_letter(d) || d.is_ascii_digit());
                (TokenKind::Latin, scan_while(text, end, is_combining_latin))
            } else if (c == '#' || c == '@')
                && let Some(end) = scan_tag(text, i + 1)
            {
                let kind = if c == '#' {
                    TokenKind::Hashtag
                } else {
                    TokenKind::Mention
                };
                (kind, end)
            } else if is_emoji(c) || is_regional(c) {
                (TokenKind::Emoji, scan_emoji(text, i))
            } else if is_other_letter(c) {
                (
                    TokenKind::Word,
                    scan_while(text, i, |d| is_other_letter(d) || is_combining_latin(d)),
                )
            } else if c == '.' {
                (TokenKind::Punctuation, scan_while(text, i, |d| d == '.'))
            } else if is_punctuation(c) {
                (TokenKind::Punctuation, i + cl)
            } else {
                (
                    TokenKind::Symbol,
                    scan_while(text, i + cl, is_combining_any),
                )
            };
            f(Span {
                kind,
                start: i,
                end,
            });
            i = end;
        }
    }

    /// All token spans of `text`.
    pub fn spans(&self, text: &str) -> Vec<Span> {
        let mut v = Vec::with_capacity(text.len() / 6);
        self.for_each(text, |s| v.push(s));
        v
    }
}

#[inline]
fn is_combining_latin(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}')
}

#[inline]
fn is_combining_any(c: char) -> bool {
    is_combining_latin(c) || is_diacritic(c) || is_emoji_modifier(c)
}

#[inline]
fn is_regional(c: char) -> bool {
    matches!(c, '\u{1F1E6}'..='\u{1F1FF}')
}

#[inline]
fn char_at(text: &str, i: usize) -> char {
    text[i..].chars().next().unwrap_or('\0')
}

/// Which chars of the Arabic block U+0600–U+06FF continue a word.
static WORD_IN_ARABIC_BLOCK: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    while i < 256 {
        if let Some(c) = char::from_u32(0x0600 + i as u32) {
            table[i] = is_arabic_letter(c) || is_diacritic(c) || is_tatweel(c);
        }
        i += 1;
    }
    table
};

/// The end of a run of word chars starting at `from` (a byte-table fast path of `is_word_char`).
#[inline]
fn scan_word(text: &str, from: usize) -> usize {
    let bytes = text.as_bytes();
    let mut i = from;
    while i < bytes.len() {
        let b0 = bytes[i];
        if (0xD8..=0xDB).contains(&b0) {
            let low = ((b0 as usize & 0x03) << 6) | (bytes[i + 1] as usize & 0x3F);
            if !WORD_IN_ARABIC_BLOCK[low] {
                break;
            }
            i += 2;
        } else if b0 < 0x80 {
            break;
        } else {
            let c = text[i..].chars().next().unwrap_or('\0');
            if !is_word_char(c) {
                break;
            }
            i += c.len_utf8();
        }
    }
    i
}

#[inline]
fn scan_while(text: &str, from: usize, pred: impl Fn(char) -> bool) -> usize {
    let mut end = from;
    for c in text[from..].chars() {
        if !pred(c) {
            break;
        }
        end += c.len_utf8();
    }
    end
}

/// Digits with inner separators (. , ٫ ٬) that are followed by another digit.
fn scan_number(text: &str, from: usize) -> usize {
    let mut end = scan_while(text, from, |c| digit_value(c).is_some());
    loop {
        let rest = &text[end..];
        let mut it = rest.chars();
        match (it.next(), it.next()) {
            (Some(sep @ ('.' | ',' | '\u{066B}' | '\u{066C}')), Some(d))
                if digit_value(d).is_some() =>
            {
                end = scan_while(text, end + sep.len_utf8(), |c| digit_value(c).is_some());
            }
            _ => return end,
        }
    }
}

fn scan_url(text: &str, from: usize) -> Option<usize> {
    let rest = &text.as_bytes()[from..];
    let starts = |p: &[u8]| rest.len() > p.len() && rest[..p.len()].eq_ignore_ascii_case(p);
    if !(starts(b"http://") || starts(b"https://") || starts(b"www.")) {
        return None;
    }
    let mut end = scan_while(text, from, is_url_char);
    // Trailing punctuation belongs to the sentence, not the address.
    while end > from {
        let last = text[..end].chars().next_back()?;
        if matches!(
            last,
            '.' | ',' | ';' | ':' | '!' | '?' | ')' | ']' | '\'' | '؟'
        ) {
            end -= last.len_utf8();
        } else {
            break;
        }
    }
    let min = if starts(b"www.") { 5 } else { 8 };
    (end - from >= min).then_some(end)
}

fn scan_email(bytes: &[u8], from: usize) -> Option<usize> {
    let local = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-');
    let mut i = from;
    while i < bytes.len() && local(bytes[i]) {
        i += 1;
    }
    if i >= bytes.len() || bytes[i] != b'@' || i == from {
        return None;
    }
    let dom_start = i + 1;
    let mut j = dom_start;
    let mut last_dot = None;
    while j < bytes.len()
        && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'-' || bytes[j] == b'.')
    {
        if bytes[j] == b'.' {
            last_dot = Some(j);
        }
        j += 1;
    }
    // Strip trailing dots; require a dot with a 2+ letter top-level domain.
    while j > dom_start && bytes[j - 1] == b'.' {
        j -= 1;
    }
    let dot = last_dot.filter(|&d| d < j)?;
    let tld = &bytes[dot + 1..j];
    (dot > dom_start && tld.len() >= 2 && tld.iter().all(u8::is_ascii_alphabetic)).then_some(j)
}

/// The end of a hashtag or mention body starting at `from`, if it has one.
fn scan_tag(text: &str, from: usize) -> Option<usize> {
    let end = scan_while(text, from, |c| {
        is_word_char(c) || is_latin_letter(c) || digit_value(c).is_some() || c == '_'
    });
    (end > from).then_some(end)
}

fn scan_emoji(text: &str, from: usize) -> usize {
    let first = char_at(text, from);
    let mut end = from + first.len_utf8();
    if is_regional(first) {
        let next = char_at(text, end);
        if is_regional(next) {
            end += next.len_utf8();
        }
        return end;
    }
    loop {
        let c = char_at(text, end);
        if end >= text.len() {
            return end;
        }
        if c == '\u{200D}' {
            let next = char_at(text, end + c.len_utf8());
            if end + c.len_utf8() < text.len() && is_emoji(next) {
                end += c.len_utf8() + next.len_utf8();
                continue;
            }
            return end;
        }
        if is_emoji_modifier(c) {
            end += c.len_utf8();
        } else {
            return end;
        }
    }
}

/// Writes the normalized form of a token into `out` (cleared first).
pub fn normalize_token(text: &str, kind: TokenKind, options: &Options, out: &mut String) {
    out.clear();
    match kind {
        TokenKind::Url | TokenKind::Email => {
            for c in text.chars() {
                if !is_control(c) {
                    out.extend(c.to_lowercase());
                }
            }
        }
        _ => append_normalized(text, options, out),
    }
}

/// Tokenizes `text` with search-profile normalized forms.
pub fn tokenize(text: &str) -> Vec<Token> {
    tokenize_with(text, &Options::SEARCH)
}

/// Tokenizes `text`, normalizing each token with `options`.
pub fn tokenize_with(text: &str, options: &Options) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(text.len() / 6);
    let mut chars_seen = 0usize;
    let mut bytes_seen = 0usize;
    let mut buf = String::new();
    Tokenizer.for_each(text, |s| {
        let char_start = chars_seen + count_chars(&text[bytes_seen..s.start]);
        let char_end = char_start + count_chars(&text[s.start..s.end]);
        chars_seen = char_end;
        bytes_seen = s.end;
        normalize_token(&text[s.start..s.end], s.kind, options, &mut buf);
        tokens.push(Token {
            kind: s.kind,
            start: s.start,
            end: s.end,
            char_start,
            char_end,
            norm: buf.clone(),
        });
    });
    tokens
}

#[inline]
fn count_chars(s: &str) -> usize {
    // Count bytes that are not UTF-8 continuation bytes.
    s.bytes().filter(|&b| (b as i8) >= -0x40).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Asserts one token's kind, surface text and normalized form.
    pub(crate) fn assert_token(text: &str, t: &Token, kind: TokenKind, surface: &str, norm: &str) {
        assert_eq!(t.kind, kind, "kind of {surface:?}");
        assert_eq!(&text[t.start..t.end], surface);
        assert_eq!(t.norm, norm, "norm of {surface:?}");
    }

    fn surfaces(text: &str) -> Vec<(&str, TokenKind)> {
        tokenize(text)
            .iter()
            .map(|t| (&text[t.start..t.end], t.kind))
            .collect()
    }

    #[test]
    fn test_digits_glued_to_words() {
        let text = "(40ألفاً)";
        let t = tokenize(text);
        assert_eq!(t.len(), 4);
        assert_token(text, &t[0], TokenKind::Punctuation, "(", "(");
        assert_token(text, &t[1], TokenKind::Number, "40", "40");
        assert_token(text, &t[2], TokenKind::Word, "ألفاً", "الفا");
        assert_token(text, &t[3], TokenKind::Punctuation, ")", ")");
    }

    #[test]
    fn vocalized_and_elongated_words_stay_whole() {
        let text = "كَتَبَ الطـــالبُ";
        let t = tokenize(text);
        assert_eq!(t.len(), 2);
        assert_token(text, &t[0], TokenKind::Word, "كَتَبَ", "كتب");
        assert_token(text, &t[1], TokenKind::Word, "الطـــالبُ", "الطالب");
    }

    #[test]
    fn numbers_keep_their_separators() {
        let text = "بلغ 3.5 و٣٫٥ و1,000 في 2015.";
        let t = tokenize(text);
        let nums: Vec<_> = t
            .iter()
            .filter(|t| t.kind == TokenKind::Number)
            .map(|t| (&text[t.start..t.end], t.norm.as_str()))
            .collect();
        assert_eq!(
            nums,
            [
                ("3.5", "3.5"),
                ("٣٫٥", "3.5"),
                ("1,000", "1,000"),
                ("2015", "2015")
            ]
        );
        assert_eq!(t.last().unwrap().kind, TokenKind::Punctuation);
    }

    #[test]
    fn kinds_of_web_and_social_tokens() {
        let text = "زوروا https://example.com/a?b=1. أو www.ahram.org.eg وراسلوا info@ahram.org.eg #مصر @user_1 😀👍🏽 🇪🇬";
        let s = surfaces(text);
        assert!(
            s.contains(&("https://example.com/a?b=1", TokenKind::Url)),
            "{s:?}"
        );
        assert!(s.contains(&("www.ahram.org.eg", TokenKind::Url)), "{s:?}");
        assert!(
            s.contains(&("info@ahram.org.eg", TokenKind::Email)),
            "{s:?}"
        );
        assert!(s.contains(&("#مصر", TokenKind::Hashtag)), "{s:?}");
        assert!(s.contains(&("@user_1", TokenKind::Mention)), "{s:?}");
        assert!(s.contains(&("😀", TokenKind::Emoji)), "{s:?}");
        assert!(s.contains(&("👍🏽", TokenKind::Emoji)), "{s:?}");
        assert!(s.contains(&("🇪🇬", TokenKind::Emoji)), "{s:?}");
    }

    #[test]
    fn latin_symbols_and_controls() {
        let text = "\u{200F}قال Obama G20: 50% $";
        let s = surfaces(text);
        assert_eq!(
            s,
            [
                ("قال", TokenKind::Word),
                ("Obama", TokenKind::Latin),
                ("G20", TokenKind::Latin),
                (":", TokenKind::Punctuation),
                ("50", TokenKind::Number),
                ("%", TokenKind::Symbol),
                ("$", TokenKind::Symbol),
            ]
        );
        assert_eq!(tokenize(text)[1].norm, "obama");
    }

    #[test]
    fn char_offsets_count_chars() {
        let text = "بقلم : مكرم";
        let t = tokenize(text);
        assert_eq!((t[0].char_start, t[0].char_end), (0, 4));
        assert_eq!((t[1].char_start, t[1].char_end), (5, 6));
        assert_eq!((t[2].char_start, t[2].char_end), (7, 11));
    }

    #[test]
    fn egyptian_spellings_match_standard_ones() {
        let a = tokenize("فى الأراضى");
        let b = tokenize("في الاراضي");
        assert_eq!(
            a.iter().map(|t| &t.norm).collect::<Vec<_>>(),
            b.iter().map(|t| &t.norm).collect::<Vec<_>>()
        );
    }

    #[test]
    fn presentation_forms_are_words() {
        let text = "ﻻ ﷲ";
        let t = tokenize(text);
        assert_token(text, &t[0], TokenKind::Word, "ﻻ", "لا");
        assert_token(text, &t[1], TokenKind::Word, "ﷲ", "الله");
    }

    #[test]
    fn ellipsis_is_one_token() {
        let s = surfaces("قال... ثم");
        assert_eq!(s[1], ("...", TokenKind::Punctuation));
    }
}
