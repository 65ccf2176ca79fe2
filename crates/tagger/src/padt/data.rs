//! UD-PADT training data: gold words, and the surface tokens rebuilt from them.

use std::ops::Range;

use qalam_text::chars::{is_diacritic, is_tatweel};

use super::conllu::{self, col};
use super::surface::{Piece, WordIn, is_arabic_form, rebuild_surface};

/// A gold syntactic word.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GoldWord {
    /// FORM as given (may carry a few diacritics).
    pub form: String,
    /// LEMMA (vocalized).
    pub lemma: String,
    /// UPOS.
    pub upos: String,
    /// XPOS.
    pub xpos: String,
    /// FEATS.
    pub feats: String,
    /// False when MISC has `SpaceAfter=No`.
    pub space_after: bool,
}

/// A surface token of a rebuilt sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GoldToken {
    /// Byte span of the token in the sentence text.
    pub start: usize,
    /// End of that span.
    pub end: usize,
    /// The words it holds (indexes into the sentence's words).
    pub words: Range<usize>,
    /// Where each word sits, relative to `start`.
    pub pieces: Vec<Piece>,
}

/// A gold sentence with its rebuilt raw text and surface tokens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GoldSentence {
    /// The raw text: surface tokens joined by the recorded spacing.
    pub text: String,
    /// Surface tokens, in order.
    pub tokens: Vec<GoldToken>,
    /// The syntactic words.
    pub words: Vec<GoldWord>,
}

/// Removes Arabic diacritics and tatweel.
pub fn dediacritize(s: &str) -> String {
    s.chars()
        .filter(|&c| !is_diacritic(c) && !is_tatweel(c))
        .collect()
}

/// The first `n` chars of `s` (all of `s` if it is shorter).
#[inline]
pub fn first_chars(s: &str, n: usize) -> &str {
    match s.char_indices().nth(n) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// The last `n` chars of `s` (all of `s` if it is shorter).
#[inline]
pub fn last_chars(s: &str, n: usize) -> &str {
    let mut it = s.char_indices().rev();
    let mut start = s.len();
    for _ in 0..n {
        match it.next() {
            Some((i, _)) => start = i,
            None => break,
        }
    }
    &s[start..]
}

/// Reads the words of each sentence of a CoNLL-U document (word lines only).
pub fn read_words(text: &str) -> Vec<Vec<GoldWord>> {
    conllu::parse(text)
        .iter()
        .map(|s| {
            s.words()
                .map(|c| GoldWord {
                    form: c[col::FORM].clone(),
                    lemma: c[col::LEMMA].clone(),
                    upos: c[col::UPOS].clone(),
                    xpos: c[col::XPOS].clone(),
                    feats: c[col::FEATS].clone(),
                    space_after: !conllu::no_space_after(&c[col::MISC]),
                })
                .collect::<Vec<_>>()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// Groups words into surface tokens: Arabic words joined by `SpaceAfter=No` fuse into one
/// token, rebuilt with [`rebuild_surface`]; every other word is its own token.
pub fn rebuild_sentence(words: Vec<GoldWord>) -> GoldSentence {
    let mut text = String::new();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let mut j = i + 1;
        if is_arabic_form(&words[i].form) {
            while j < words.len() && !words[j - 1].space_after && is_arabic_form(&words[j].form) {
                j += 1;
            }
        }
        let ins: Vec<WordIn> = words[i..j]
            .iter()
            .map(|w| WordIn {
                form: &w.form,
                upos: &w.upos,
                feats: &w.feats,
            })
            .collect();
        let r = rebuild_surface(&ins);
        let start = text.len();
        text.push_str(&r.text);
        tokens.push(GoldToken {
            start,
            end: text.len(),
            words: i..j,
            pieces: r.pieces,
        });
        if words[j - 1].space_after && j < words.len() {
            text.push(' ');
        }
        i = j;
    }
    GoldSentence {
        text,
        tokens,
        words,
    }
}

/// Splits sentences into (train, held-out): the held-out part is the last `percent`%.
pub fn split_held_out<T>(mut all: Vec<T>, percent: usize) -> (Vec<T>, Vec<T>) {
    let n_held = all.len() * percent / 100;
    let held = all.split_off(all.len() - n_held);
    (all, held)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "# text_reconstructed = وعائلةه.\n\
1\tو\tوَ\tCCONJ\tC---------\t_\t0\troot\t_\tSpaceAfter=No\n\
2\tعائلة\tعَائِلَة\tNOUN\tN------S1R\tCase=Nom\t1\tconj\t_\tSpaceAfter=No\n\
3\tه\tهُوَ\tPRON\tSP---3MS2-\t_\t2\tnmod\t_\tSpaceAfter=No\n\
4\t.\t.\tPUNCT\tG---------\t_\t1\tpunct\t_\t_\n\
5\tفي\tفِي\tADP\tP---------\t_\t1\tcase\t_\t_\n\n";

    #[test]
    fn rebuilds_tokens_and_text() {
        let s = rebuild_sentence(read_words(DOC).remove(0));
        assert_eq!(s.text, "وعائلته. في");
        assert_eq!(s.tokens.len(), 3);
        assert_eq!(s.tokens[0].words, 0..3);
        assert_eq!(&s.text[s.tokens[0].start..s.tokens[0].end], "وعائلته");
        assert_eq!(&s.text[s.tokens[1].start..s.tokens[1].end], ".");
        assert!(!s.words[1].space_after);
    }

    #[test]
    fn affixes_are_char_based() {
        assert_eq!(last_chars("شركة", 2), "كة");
        assert_eq!(first_chars("شركة", 9), "شركة");
        assert_eq!(first_chars("شركة", 1), "ش");
        assert_eq!(last_chars("", 2), "");
    }

    #[test]
    fn dediacritizes() {
        assert_eq!(dediacritize("اَلبَصرَةَ"), "البصرة");
        assert_eq!(dediacritize("هٰذا"), "هذا");
    }
}
