//! Sentence-boundary scores: the sentences [`sentences`] finds in a document rebuilt from gold
//! sentences, compared on non-space character positions (the CoNLL 2018 shared-task
//! convention, so spacing around the boundaries does not count).
//!
//! ```
//! use qalam_text::eval::sentence_scores;
//!
//! let docs = vec![vec!["ذهب الولد.".to_string(), "ثم عاد.".to_string()]];
//! assert_eq!(sentence_scores(&docs).f1, 1.0);
//! ```

use std::collections::HashSet;

use crate::sentences;

/// Precision, recall and F1 of predicted sentence spans against gold ones.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct SentenceScores {
    /// Predicted sentences that match a gold one, over predicted sentences.
    pub precision: f64,
    /// Gold sentences found, over gold sentences.
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
    /// Gold sentences (blank ones left out).
    pub gold: usize,
}

/// Scores [`sentences`] on documents given as their gold sentences: each document is the
/// sentences joined by one space.
pub fn sentence_scores(docs: &[Vec<String>]) -> SentenceScores {
    let (mut tp, mut n_gold, mut n_pred) = (0usize, 0usize, 0usize);
    for doc in docs {
        let text = doc.join(" ");
        // Map byte offsets to counts of non-whitespace chars before them.
        let mut nonspace_before = Vec::with_capacity(text.len() + 1);
        let mut k = 0usize;
        for (i, c) in text.char_indices() {
            while nonspace_before.len() <= i {
                nonspace_before.push(k);
            }
            if !c.is_whitespace() {
                k += 1;
            }
        }
        while nonspace_before.len() <= text.len() {
            nonspace_before.push(k);
        }
        let mut gold = HashSet::new();
        let mut at = 0usize;
        for s in doc {
            let (a, b) = (at, at + s.len());
            let lead = s.len() - s.trim_start().len();
            let trail = s.len() - s.trim_end().len();
            if a + lead < b - trail {
                gold.insert((nonspace_before[a + lead], nonspace_before[b - trail]));
            }
            at = b + 1;
        }
        let pred: HashSet<_> = sentences(&text)
            .iter()
            .map(|s| (nonspace_before[s.start], nonspace_before[s.end]))
            .collect();
        tp += gold.intersection(&pred).count();
        n_gold += gold.len();
        n_pred += pred.len();
    }
    let precision = tp as f64 / n_pred.max(1) as f64;
    let recall = tp as f64 / n_gold.max(1) as f64;
    let f1 = if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    };
    SentenceScores {
        precision,
        recall,
        f1,
        gold: n_gold,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(sentences: &[&str]) -> Vec<String> {
        sentences.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn perfect_and_merged_sentences() {
        let s = sentence_scores(&[doc(&["ذهب الولد.", "ثم عاد."])]);
        assert_eq!((s.precision, s.recall, s.f1, s.gold), (1.0, 1.0, 1.0, 2));
        // A title without a full stop runs into the next sentence: one predicted span that
        // matches neither gold one.
        let s = sentence_scores(&[doc(&["عنوان بلا نقطة", "ثم عاد."])]);
        assert_eq!((s.precision, s.recall, s.f1, s.gold), (0.0, 0.0, 0.0, 2));
    }

    #[test]
    fn counts_pool_over_documents() {
        // Document 1: both sentences found (2 of 2). Document 2: the two gold sentences are
        // merged into one prediction (0 of 2). Pooled: 2 true positives, 4 gold, 3 predicted.
        let s = sentence_scores(&[
            doc(&["ذهب الولد.", "ثم عاد."]),
            doc(&["عنوان بلا نقطة", "ثم عاد."]),
        ]);
        assert_eq!(s.gold, 4);
        assert_eq!(s.recall, 0.5);
        assert_eq!(s.precision, 2.0 / 3.0);
        assert!((s.f1 - 4.0 / 7.0).abs() < 1e-12, "{s:?}");
        // Blank gold sentences are not counted; no documents score 0.
        assert_eq!(sentence_scores(&[doc(&["  ", "ثم عاد."])]).gold, 1);
        assert_eq!(sentence_scores(&[]), SentenceScores::default());
    }
}
