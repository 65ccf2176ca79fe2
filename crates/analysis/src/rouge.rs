//! ROUGE-n (Lin, 2004) of a candidate summary against a reference, on light stems, as
//! `qalam eval summary` scores summaries against titles.
//!
//! ```
//! use qalam_analysis::rouge::{rouge_n, rouge_tokens};
//!
//! let title = rouge_tokens("افتتاح المدرسة الجديدة");
//! let summary = rouge_tokens("افتتحت الوزارة المدرسة");
//! let r = rouge_n(&summary, &title, 1);
//! assert!(r.recall > 0.0 && r.recall < 1.0);
//! ```

use std::collections::HashMap;

/// Recall, precision and F1 of one ROUGE-n comparison.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Rouge {
    /// Matched n-grams over the reference's n-grams.
    pub recall: f64,
    /// Matched n-grams over the candidate's n-grams.
    pub precision: f64,
    /// Harmonic mean of recall and precision (0 without a match).
    pub f1: f64,
}

/// The light stems of every word-like token of `text` (stopwords kept): what ROUGE compares.
pub fn rouge_tokens(text: &str) -> Vec<String> {
    qalam_text::tokenize(text)
        .into_iter()
        .filter(|t| t.kind.is_wordlike())
        .map(|t| qalam_morph::light_stem(&t.norm))
        .collect()
}

/// ROUGE-n of `candidate` against `reference`, with clipped n-gram counts (an n-gram matches at
/// most as often as the reference has it). Empty sides score 0.
pub fn rouge_n(candidate: &[String], reference: &[String], n: usize) -> Rouge {
    fn grams(t: &[String], n: usize) -> HashMap<&[String], usize> {
        let mut m: HashMap<&[String], usize> = HashMap::new();
        for g in t.windows(n.max(1)) {
            *m.entry(g).or_default() += 1;
        }
        m
    }
    let (c, r) = (grams(candidate, n), grams(reference, n));
    let overlap: usize = r
        .iter()
        .map(|(g, &k)| k.min(c.get(g).copied().unwrap_or(0)))
        .sum();
    let (nr, nc) = (r.values().sum::<usize>(), c.values().sum::<usize>());
    let recall = overlap as f64 / nr.max(1) as f64;
    let precision = overlap as f64 / nc.max(1) as f64;
    let f1 = if overlap > 0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    };
    Rouge {
        recall,
        precision,
        f1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn rouge_1_and_2_by_hand() {
        // Reference "a b c d", candidate "a b x c": unigrams a, b, c match (3 of 4 each side);
        // bigrams: reference ab bc cd, candidate ab bx xc: only ab matches.
        let (cand, refr) = (words("a b x c"), words("a b c d"));
        let r1 = rouge_n(&cand, &refr, 1);
        assert_eq!((r1.recall, r1.precision, r1.f1), (0.75, 0.75, 0.75));
        let r2 = rouge_n(&cand, &refr, 2);
        assert_eq!(r2.recall, 1.0 / 3.0);
        assert_eq!(r2.precision, 1.0 / 3.0);
        assert!((r2.f1 - 1.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn counts_are_clipped_and_f1_is_harmonic() {
        // "a a a" against "a b": one `a` in the reference, so one match: recall 1/2,
        // precision 1/3, F1 = 2·(1/3)(1/2)/(1/3 + 1/2) = 0.4.
        let r = rouge_n(&words("a a a"), &words("a b"), 1);
        assert_eq!(r.recall, 0.5);
        assert_eq!(r.precision, 1.0 / 3.0);
        assert!((r.f1 - 0.4).abs() < 1e-12, "{r:?}");
    }

    #[test]
    fn no_overlap_and_empty_sides_score_zero() {
        assert_eq!(rouge_n(&words("x y"), &words("a b"), 1), Rouge::default());
        assert_eq!(rouge_n(&[], &words("a b"), 1), Rouge::default());
        assert_eq!(rouge_n(&words("a b"), &[], 2), Rouge::default());
        // Shorter than n: no n-grams.
        assert_eq!(rouge_n(&words("a"), &words("a"), 2), Rouge::default());
    }

    #[test]
    fn tokens_are_light_stems_of_words() {
        // Punctuation is dropped; the article and the feminine ending are stripped alike in
        // both spellings, so the two match.
        let a = rouge_tokens("المدرسة، الجديدة!");
        let b = rouge_tokens("مدرسة جديدة");
        assert_eq!(a.len(), 2);
        assert_eq!(a, b);
    }
}
