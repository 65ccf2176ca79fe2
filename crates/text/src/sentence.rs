//! Sentence boundaries over token spans, with byte offsets into the original.

use crate::token::{Span, TokenKind};

/// A sentence: byte range `start..end` of the original text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Sentence {
    /// Byte offset of the sentence's first token.
    pub start: usize,
    /// Byte offset one past its last token.
    pub end: usize,
}

/// Abbreviations (without their final dot) after which a dot does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    // Arabic titles and references.
    "د", "م", "أ", "ا", "ص", "ج", "ش", "ت", "س", "ق", "ح", "ع", "أد", "مج", "ط",
    // Latin.
    "Dr", "Mr", "Mrs", "Ms", "Prof", "St", "Jr", "Sr", "vs", "e.g", "i.e", "No", "Co", "Inc", "Ltd",
    "Gen", "Col", "Capt", "Lt", "Sgt",
];

/// Splits token spans into sentences.
#[derive(Clone, Debug)]
pub struct SentenceSplitter {
    /// A single line break ends a sentence (news text has a paragraph per line).
    pub line_breaks: bool,
}

impl Default for SentenceSplitter {
    fn default() -> Self {
        SentenceSplitter { line_breaks: true }
    }
}

#[inline]
fn is_terminal(s: &str) -> bool {
    matches!(s, "!" | "?" | "؟" | "…" | "۔" | "‼" | "⁇" | "⁈" | "⁉")
        || (!s.is_empty() && s.bytes().all(|b| b == b'.'))
}

#[inline]
fn is_closing(s: &str) -> bool {
    matches!(s, "\"" | "'" | "»" | ")" | "]" | "}" | "”" | "’" | "›")
}

/// True when the dot after `prev` marks an abbreviation or an initial, not a sentence end.
fn is_abbreviation(text: &str, prev: &Span, before_prev: Option<&Span>) -> bool {
    if !matches!(prev.kind, TokenKind::Word | TokenKind::Latin) {
        return false;
    }
    let word: String = text[prev.start..prev.end]
        .chars()
        .filter(|&c| !crate::chars::is_diacritic(c) && !crate::chars::is_tatweel(c))
        .collect();
    // "2015م." and "1436هـ." end sentences: the letter is a date marker, not an initial.
    let after_number = before_prev
        .is_some_and(|b| b.kind == TokenKind::Number && text[b.end..prev.start].trim().is_empty());
    if after_number && matches!(word.as_str(), "م" | "ه") {
        return false;
    }
    let single_letter = word.chars().count() == 1;
    single_letter || ABBREVIATIONS.contains(&word.as_str())
}

impl SentenceSplitter {
    /// Sentences of `text`, given its token spans in order.
    pub fn split(&self, text: &str, spans: &[Span]) -> Vec<Sentence> {
        let mut out = Vec::new();
        let mut start: Option<usize> = None;
        let mut i = 0;
        while i < spans.len() {
            let tok = spans[i];
            if let Some(s) = start
                && i > 0
            {
                let gap = &text[spans[i - 1].end..tok.start];
                if self.breaks_at(gap) {
                    out.push(Sentence {
                        start: s,
                        end: spans[i - 1].end,
                    });
                    start = None;
                }
            }
            let s = *start.get_or_insert(tok.start);
            let surface = &text[tok.start..tok.end];
            // "سي.ان.ان": a dot glued to a following word is part of an abbreviation.
            let glued = spans.get(i + 1).is_some_and(|n| {
                n.start == tok.end
                    && matches!(
                        n.kind,
                        TokenKind::Word | TokenKind::Latin | TokenKind::Number
                    )
            });
            let ends = tok.kind == TokenKind::Punctuation
                && is_terminal(surface)
                && !glued
                && !(surface == "."
                    && i > 0
                    && spans[i - 1].end == tok.start
                    && is_abbreviation(text, &spans[i - 1], i.checked_sub(2).map(|j| &spans[j])));
            if ends {
                // Absorb further terminals and closing quotes or brackets on the same line.
                let mut last = i;
                while let Some(next) = spans.get(last + 1) {
                    let gap = &text[spans[last].end..next.start];
                    let ns = &text[next.start..next.end];
                    let adjacent_close = is_closing(ns)
                        && (gap.is_empty() || (ns != "\"" && ns != "'" && !gap.contains('\n')));
                    if next.kind == TokenKind::Punctuation
                        && ((is_terminal(ns) && !gap.contains('\n')) || adjacent_close)
                    {
                        last += 1;
                    } else {
                        break;
                    }
                }
                out.push(Sentence {
                    start: s,
                    end: spans[last].end,
                });
                start = None;
                i = last + 1;
                continue;
            }
            i += 1;
        }
        if let (Some(s), Some(last)) = (start, spans.last()) {
            out.push(Sentence {
                start: s,
                end: last.end,
            });
        }
        out
    }

    fn breaks_at(&self, gap: &str) -> bool {
        if self.line_breaks {
            gap.contains('\n') || gap.contains('\u{2029}')
        } else {
            let lines = gap.matches('\n').count();
            lines >= 2 || gap.contains('\u{2029}')
        }
    }
}

/// Sentences of `text` with the default splitter.
pub fn sentences(text: &str) -> Vec<Sentence> {
    let spans = crate::token::Tokenizer.spans(text);
    SentenceSplitter::default().split(text, &spans)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<&str> {
        sentences(text)
            .iter()
            .map(|s| &text[s.start..s.end])
            .collect()
    }

    #[test]
    fn splits_on_arabic_and_latin_terminals() {
        assert_eq!(
            texts("ذهب الولد. هل عاد؟ نعم! انتهى…  ثم"),
            ["ذهب الولد.", "هل عاد؟", "نعم!", "انتهى…", "ثم"]
        );
    }

    #[test]
    fn not_inside_numbers_or_after_initials() {
        assert_eq!(
            texts("قال د. محمد إن النمو بلغ 3.5 في المئة. وأضاف م. أحمد ذلك."),
            [
                "قال د. محمد إن النمو بلغ 3.5 في المئة.",
                "وأضاف م. أحمد ذلك."
            ]
        );
    }

    #[test]
    fn test_dotted_abbreviation_is_not_a_boundary() {
        assert_eq!(
            texts("قالت شبكة سي.ان.ان الاميركية ذلك. ثم"),
            ["قالت شبكة سي.ان.ان الاميركية ذلك.", "ثم"]
        );
    }

    #[test]
    fn date_markers_end_sentences() {
        assert_eq!(
            texts("وقع ذلك عام 2015م. ثم عاد"),
            ["وقع ذلك عام 2015م.", "ثم عاد"]
        );
    }

    #[test]
    fn closing_quotes_and_brackets_stay() {
        assert_eq!(
            texts("قال: «سنعود.» ثم صمت (طويلاً.) وانتهى \"هنا.\" أخيرا"),
            [
                "قال: «سنعود.»",
                "ثم صمت (طويلاً.)",
                "وانتهى \"هنا.\"",
                "أخيرا"
            ]
        );
    }

    #[test]
    fn paragraphs_break_sentences() {
        assert_eq!(
            texts("عنوان الخبر\nنص الخبر هنا"),
            ["عنوان الخبر", "نص الخبر هنا"]
        );
        let s = SentenceSplitter { line_breaks: false };
        let text = "سطر أول\nيكمل\n\nفقرة";
        let spans = crate::token::Tokenizer.spans(text);
        let got: Vec<_> = s
            .split(text, &spans)
            .iter()
            .map(|x| &text[x.start..x.end])
            .collect();
        assert_eq!(got, ["سطر أول\nيكمل", "فقرة"]);
    }

    #[test]
    fn empty_text_has_no_sentences() {
        assert!(sentences("").is_empty());
        assert!(sentences(" \n\u{200F} ").is_empty());
    }
}
