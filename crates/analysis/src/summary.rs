//! Extractive summaries: the k best sentences by TextRank over content-word overlap, weighted
//! by a lead-position prior, returned in their original order with byte spans.
//!
//! Sentences are compared by the light stems of their content words (see [`Words`]): the edge
//! weight of two sentences is their IDF-weighted overlap divided by `ln |Si| + ln |Sj|`
//! (Mihalcea & Tarau 2004). Only the first [`Summarizer::max_sentences`] sentences form the
//! graph, so the cost stays linear in the length of long texts.
//!
//! ```
//! use qalam_analysis::words::Words;
//! use qalam_analysis::summary::Summarizer;
//! use qalam_text::sentences;
//!
//! let text = "افتتح الأمير مشروع المياه في جدة. وحضر الافتتاح مسؤولون. \
//!             ويخدم مشروع المياه الجديد سكان جدة. وكان الجو حارا.";
//! let s = Summarizer { sentences: 1, ..Summarizer::default() };
//! let summary = s.summarize(&sentences(text), &Words::new(text));
//! assert_eq!(&text[summary[0].start..summary[0].end], "افتتح الأمير مشروع المياه في جدة.");
//! ```

use serde::{Deserialize, Serialize};

use crate::df::DfTable;
use crate::words::Words;
use qalam_text::Sentence;

/// One sentence of a summary.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct SummarySentence {
    /// Index of the sentence in the text (0-based).
    pub index: usize,
    /// Byte offset of the sentence in the original text.
    pub start: usize,
    /// Byte offset one past its end.
    pub end: usize,
    /// Rank score (TextRank × position prior; comparable within one text).
    pub score: f32,
}

/// How sentences are chosen.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SummaryMethod {
    /// TextRank with a position prior (the default).
    #[default]
    TextRank,
    /// TextRank alone.
    TextRankOnly,
    /// The first k sentences with content (a baseline).
    Lead,
}

/// Settings of extractive summaries.
#[derive(Clone, Copy, Debug)]
pub struct Summarizer<'a> {
    /// Sentences returned (fewer when the text has fewer).
    pub sentences: usize,
    /// How sentences are chosen.
    pub method: SummaryMethod,
    /// Strength of the lead prior: sentence i is weighted by `1 + position / (1 + i)`.
    pub position: f32,
    /// Sentences with fewer content words are not chosen (unless nothing else is left).
    pub min_words: usize,
    /// Only the first this many sentences are ranked.
    pub max_sentences: usize,
    /// Document frequencies for word weights.
    pub df: DfTable<'a>,
}

impl Default for Summarizer<'static> {
    fn default() -> Self {
        Summarizer {
            sentences: 3,
            method: SummaryMethod::TextRank,
            position: 4.0,
            min_words: 4,
            max_sentences: 80,
            df: DfTable::embedded(),
        }
    }
}

const DAMPING: f32 = 0.85;
const ITERATIONS: usize = 40;

impl Summarizer<'_> {
    /// The summary of a text, given its sentences and content words, in text order.
    pub fn summarize(&self, sentences: &[Sentence], words: &Words) -> Vec<SummarySentence> {
        let n = sentences.len().min(self.max_sentences);
        if n == 0 || self.sentences == 0 {
            return Vec::new();
        }
        // Per sentence: sorted, distinct (stem key, idf).
        let mut bags: Vec<Vec<(u64, f32)>> = vec![Vec::new(); n];
        for (i, w) in words.words.iter().enumerate() {
            let s = w.sentence as usize;
            if s < n {
                let key = words.ngram_key(i, 1);
                bags[s].push((key, 0.0));
            }
        }
        for bag in &mut bags {
            bag.sort_unstable_by_key(|e| e.0);
            bag.dedup_by_key(|e| e.0);
            for e in bag.iter_mut() {
                e.1 = self.df.idf(e.0, 1.0);
            }
        }
        let eligible = |i: usize| bags[i].len() >= self.min_words;
        let mut scores = vec![0.0f32; n];
        match self.method {
            SummaryMethod::Lead => {
                for (i, s) in scores.iter_mut().enumerate() {
                    *s = 1.0 / (1.0 + i as f32);
                }
            }
            SummaryMethod::TextRank | SummaryMethod::TextRankOnly => {
                let rank = textrank(&bags);
                for (i, s) in scores.iter_mut().enumerate() {
                    *s = rank[i];
                    if self.method == SummaryMethod::TextRank {
                        *s *= 1.0 + self.position / (1.0 + i as f32);
                    }
                }
            }
        }
        let mut order: Vec<usize> = (0..n).collect();
        // Eligible sentences first, then by score; ties to the earlier sentence.
        order.sort_by(|&a, &b| {
            eligible(b)
                .cmp(&eligible(a))
                .then(scores[b].total_cmp(&scores[a]))
                .then(a.cmp(&b))
        });
        let mut chosen: Vec<usize> = order
            .into_iter()
            .filter(|&i| !bags[i].is_empty())
            .take(self.sentences)
            .collect();
        chosen.sort_unstable();
        chosen
            .into_iter()
            .map(|i| SummarySentence {
                index: i,
                start: sentences[i].start,
                end: sentences[i].end,
                score: scores[i],
            })
            .collect()
    }
}

/// IDF-weighted overlap of two sorted bags.
fn overlap(a: &[(u64, f32)], b: &[(u64, f32)]) -> f32 {
    let (mut i, mut j, mut sum) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                sum += a[i].1;
                i += 1;
                j += 1;
            }
        }
    }
    sum
}

/// Weighted PageRank over the sentence-similarity graph; scores average 1.
fn textrank(bags: &[Vec<(u64, f32)>]) -> Vec<f32> {
    let n = bags.len();
    let mut w = vec![0.0f32; n * n];
    for i in 0..n {
        if bags[i].len() < 2 {
            continue;
        }
        for j in i + 1..n {
            if bags[j].len() < 2 {
                continue;
            }
            let o = overlap(&bags[i], &bags[j]);
            if o > 0.0 {
                let sim = o / ((bags[i].len() as f32).ln() + (bags[j].len() as f32).ln());
                w[i * n + j] = sim;
                w[j * n + i] = sim;
            }
        }
    }
    let out_sum: Vec<f32> = (0..n).map(|j| w[j * n..(j + 1) * n].iter().sum()).collect();
    let mut score = vec![1.0f32; n];
    let mut next = vec![0.0f32; n];
    for _ in 0..ITERATIONS {
        let mut delta = 0.0f32;
        for i in 0..n {
            let mut s = 0.0;
            for j in 0..n {
                let wji = w[j * n + i];
                if wji > 0.0 {
                    s += wji / out_sum[j] * score[j];
                }
            }
            next[i] = (1.0 - DAMPING) + DAMPING * s;
            delta += (next[i] - score[i]).abs();
        }
        std::mem::swap(&mut score, &mut next);
        if delta < 1e-4 {
            break;
        }
    }
    score
}

#[cfg(test)]
mod tests {
    use super::*;
    use qalam_text::sentences;

    fn summarize(text: &str, k: usize, method: SummaryMethod) -> Vec<SummarySentence> {
        let s = Summarizer {
            sentences: k,
            method,
            ..Summarizer::default()
        };
        s.summarize(&sentences(text), &Words::new(text))
    }

    const TEXT: &str = "جدة - واس\n\
        قال الطقس اليوم حار جدا في المنطقة الشرقية.\n\
        أعلنت وزارة الصحة تسجيل إصابات جديدة بفيروس كورونا في الرياض وجدة.\n\
        وأوضحت الوزارة أن الإصابات بفيروس كورونا ارتفعت إلى عشرين إصابة في الرياض.\n\
        ودعت وزارة الصحة المواطنين إلى الحذر من فيروس كورونا.\n\
        وفي شأن آخر افتتح معرض للكتاب.";

    #[test]
    fn central_sentences_in_text_order_with_spans() {
        let s = summarize(TEXT, 2, SummaryMethod::TextRankOnly);
        assert_eq!(s.len(), 2);
        assert!(s[0].index < s[1].index);
        for x in &s {
            assert!(
                TEXT[x.start..x.end].contains("كورونا"),
                "{}",
                &TEXT[x.start..x.end]
            );
        }
    }

    #[test]
    fn lead_skips_short_datelines() {
        let s = summarize(TEXT, 1, SummaryMethod::Lead);
        assert_eq!(s[0].index, 1, "the dateline has fewer than 4 content words");
    }

    #[test]
    fn short_texts() {
        assert!(summarize("", 3, SummaryMethod::TextRank).is_empty());
        let one = summarize("خبر واحد فقط", 3, SummaryMethod::TextRank);
        assert_eq!(one.len(), 1);
        assert_eq!((one[0].start, one[0].end), (0, "خبر واحد فقط".len()));
    }
}
