//! Leading bylines ("بقلم : NAME", "كتب : NAME") and titles of plain-text articles.

use std::ops::Range;

/// Longest author name, in chars, that a byline may carry.
const MAX_AUTHOR_CHARS: usize = 60;
/// Most words an author name in a byline may have.
const MAX_AUTHOR_WORDS: usize = 8;
/// Longest title, in chars, taken from the first line of a plain-text article.
pub const MAX_TITLE_CHARS: usize = 120;

/// Byline keywords; `true` when the keyword must be followed by a separator (":" "/" "-").
///
/// "كتب" is also an everyday verb ("كتب الرئيس رسالة"), so it only counts with a separator.
const KEYWORDS: &[(&str, bool)] = &[
    ("بقلم", false),
    ("كتبت", true),
    ("كتبه", true),
    ("كتب", true),
    ("إعداد", true),
    ("اعداد", true),
];

/// A byline found at the start of a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Byline<'a> {
    /// The author's name as written (trimmed).
    pub author: &'a str,
    /// Byte range of the whole byline line in the text, without its line break.
    pub line: Range<usize>,
}

/// Finds a byline on the first non-blank line of `text`, e.g. `بقلم : مكرم محمد أحمد`.
pub fn find_byline(text: &str) -> Option<Byline<'_>> {
    let (line, range) = lines(text).find(|(l, _)| !clean(l).is_empty())?;
    let author = byline_author(line)?;
    Some(Byline {
        author,
        line: range,
    })
}

/// Returns the author named by one line if the line is a byline.
fn byline_author(line: &str) -> Option<&str> {
    let line = clean(line);
    let (rest, needs_sep) = KEYWORDS
        .iter()
        .find_map(|&(kw, sep)| line.strip_prefix(kw).map(|rest| (rest, sep)))?;
    if rest.chars().next().is_some_and(char::is_alphanumeric) {
        return None; // a longer word such as "بقلمه" or "كتبوا"
    }
    let rest = rest.trim_start();
    let (rest, had_sep) = match rest.chars().next() {
        Some(c @ (':' | '：' | '/' | '-' | '–' | '—')) => (&rest[c.len_utf8()..], true),
        _ => (rest, false),
    };
    if needs_sep && !had_sep {
        return None;
    }
    let author = rest.trim();
    let words = author.split_whitespace().count();
    let plausible = !author.is_empty()
        && author.chars().count() <= MAX_AUTHOR_CHARS
        && words <= MAX_AUTHOR_WORDS
        && author.chars().any(char::is_alphabetic);
    plausible.then_some(author)
}

/// Picks the title of a plain-text article: its first non-blank line that is not a byline.
///
/// The line is trimmed; a line longer than [`MAX_TITLE_CHARS`] (a paragraph rather than a
/// headline) is cut at the last space before that many chars and ends with "…".
pub fn text_title(text: &str) -> Option<String> {
    let skip = find_byline(text).map_or(0, |b| b.line.end);
    let (line, _) = lines(&text[skip..]).find(|(l, _)| !clean(l).is_empty())?;
    let line = clean(line);
    if line.chars().count() <= MAX_TITLE_CHARS {
        return Some(line.to_string());
    }
    let cut = line
        .char_indices()
        .nth(MAX_TITLE_CHARS)
        .map_or(line.len(), |(i, _)| i);
    let head = &line[..cut];
    let head = match head.rfind(char::is_whitespace) {
        Some(space) if space > cut / 2 => &head[..space],
        _ => head,
    };
    Some(format!("{}…", head.trim_end()))
}

/// Trims a line, including a leading byte-order mark.
fn clean(line: &str) -> &str {
    line.trim().trim_start_matches('\u{feff}').trim()
}

/// Iterates over the lines of `text` with their byte ranges (line breaks excluded).
fn lines(text: &str) -> impl Iterator<Item = (&str, Range<usize>)> {
    let mut start = 0;
    text.split_inclusive('\n').map(move |raw| {
        let line = raw.trim_end_matches(['\n', '\r']);
        let range = start..start + line.len();
        start += raw.len();
        (line, range)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED: &str = "بقلم : مكرم محمد أحمد\nلا تزال داعش تطلق تهديداتها للعالم أجمع";

    #[test]
    fn byline_with_spaced_colon() {
        let byline = find_byline(SEED).unwrap();
        assert_eq!(byline.author, "مكرم محمد أحمد");
        assert_eq!(&SEED[byline.line.clone()], "بقلم : مكرم محمد أحمد");
    }

    #[test]
    fn byline_variants() {
        assert_eq!(byline_author("بقلم: سعيد"), Some("سعيد"));
        assert_eq!(byline_author("بقلم سعيد الأحمد"), Some("سعيد الأحمد"));
        assert_eq!(byline_author("كتب : أحمد علي"), Some("أحمد علي"));
        assert_eq!(byline_author("كتبت - منى"), Some("منى"));
        assert_eq!(byline_author("\u{feff}  بقلم / د. علي  \r"), Some("د. علي"));
    }

    #[test]
    fn not_bylines() {
        assert_eq!(byline_author("كتب الرئيس رسالة إلى الأمم المتحدة"), None);
        assert_eq!(byline_author("بقلمه الرشيق وصف الكاتب المدينة"), None);
        assert_eq!(byline_author("بقلم :"), None);
        assert_eq!(byline_author("بقلم : 123"), None);
        let long = format!("بقلم : {}", "كلمة ".repeat(20));
        assert_eq!(byline_author(&long), None);
        assert_eq!(find_byline("مقدمة\nبقلم : فلان"), None);
    }

    #[test]
    fn byline_after_blank_lines() {
        let text = "\n\r\n  كتب: فلان الفلاني\r\nالنص";
        let byline = find_byline(text).unwrap();
        assert_eq!(byline.author, "فلان الفلاني");
        assert_eq!(&text[byline.line.clone()], "  كتب: فلان الفلاني");
    }

    #[test]
    fn title_skips_byline() {
        let text = "بقلم : فلان\n\nعنوان المقال\nالنص";
        assert_eq!(text_title(text).as_deref(), Some("عنوان المقال"));
        assert_eq!(text_title("عنوان\nنص").as_deref(), Some("عنوان"));
        assert_eq!(text_title("  \n \n"), None);
        assert_eq!(text_title("بقلم : فلان\n"), None);
        assert_eq!(text_title("\u{feff}\nعنوان").as_deref(), Some("عنوان"));
    }

    #[test]
    fn long_title_is_cut_at_a_space() {
        let line = "كلمة ".repeat(40);
        let title = text_title(&line).unwrap();
        assert!(title.ends_with('…'));
        assert!(title.chars().count() <= MAX_TITLE_CHARS + 1);
        assert!(title.trim_end_matches('…').ends_with("كلمة"));
        let solid = "ب".repeat(300);
        assert_eq!(
            text_title(&solid).unwrap().chars().count(),
            MAX_TITLE_CHARS + 1
        );
    }
}
