//! [`Snippet`]: a fragment of a hit's original text with the matched words marked, as byte
//! ranges and as escaped HTML.

use serde::{Deserialize, Serialize};

/// Longest snippet a search makes, in bytes (larger `snippet_bytes` are clamped).
pub const MAX_SNIPPET_BYTES: usize = 10_000;

/// A snippet of the original text with the matched words marked.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Snippet {
    /// A fragment of the original text.
    pub text: String,
    /// Byte ranges of matched words in `text`.
    pub highlights: Vec<(usize, usize)>,
    /// `text`, HTML-escaped, with `<mark>…</mark>` around matched words.
    pub html: String,
}

fn html_escape(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

impl Snippet {
    /// A snippet of `text` with `highlights` (byte ranges into it).
    pub fn new(text: &str, highlights: Vec<(usize, usize)>) -> Snippet {
        let mut html = String::with_capacity(text.len() + 16 * highlights.len());
        let mut at = 0;
        for &(a, b) in &highlights {
            html_escape(&text[at..a], &mut html);
            html.push_str("<mark>");
            html_escape(&text[a..b], &mut html);
            html.push_str("</mark>");
            at = b;
        }
        html_escape(&text[at..], &mut html);
        Snippet {
            text: text.to_string(),
            highlights,
            html,
        }
    }
}

/// The first `max` bytes of `text` (at a char boundary, preferably a space), for hits without a
/// match in the text.
pub(crate) fn lead(text: &str, max: usize) -> &str {
    let text = text.trim_start();
    if text.len() <= max {
        return text.trim_end();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let cut = text[..end]
        .rfind(char::is_whitespace)
        .filter(|&i| i > max / 2)
        .unwrap_or(end);
    text[..cut].trim_end()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_html_escapes_and_marks() {
        let s = Snippet::new("a <b> داعش", vec![(6, 14)]);
        assert_eq!(s.html, "a &lt;b&gt; <mark>داعش</mark>");
    }

    #[test]
    fn lead_cuts_at_char_boundary() {
        let text = "كلمة ".repeat(100);
        let l = lead(&text, 51);
        assert!(l.len() <= 51 && l.ends_with("كلمة"), "{l}");
    }
}
