//! Keyphrases: stopword-free n-grams of 1–3 content words, scored by TF × √IDF against the embedded
//! SaudiNewsNet document frequencies, first position and spread, shown in their most frequent
//! surface form.
//!
//! Candidates are grouped by light stems, so `الموصل`, `بالموصل` and `والموصل` are one phrase.
//! Multi-word candidates must be known to the DF table (seen in a few articles) or repeated in
//! the text; a phrase is dropped when it contains, or is contained in, a better one.
//!
//! ```
//! use qalam_analysis::words::Words;
//! use qalam_analysis::keyphrase::KeyphraseExtractor;
//!
//! let text = "أعلنت وزارة الصحة عن حالات كورونا جديدة. وقالت وزارة الصحة إن فيروس كورونا ينتشر.";
//! let phrases = KeyphraseExtractor::default().extract(text, &Words::new(text));
//! assert!(phrases.iter().any(|p| p.text == "كورونا"));
//! ```

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::df::{DfTable, MAX_NGRAM};
use crate::words::Words;

/// One keyphrase of a text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Keyphrase {
    /// The most frequent surface form (the first one seen among equally frequent forms).
    pub text: String,
    /// The light stems of its words, joined by spaces (the grouping key).
    pub key: String,
    /// Score (higher is better; comparable within one text).
    pub score: f32,
    /// Occurrences in the text.
    pub count: u32,
    /// Byte offset of the first occurrence.
    pub start: usize,
    /// Byte offset one past the first occurrence.
    pub end: usize,
}

/// How candidates are scored.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scoring {
    /// TF-IDF with first-position and spread weights (the default).
    #[default]
    Full,
    /// TF-IDF only.
    TfIdf,
    /// Term frequency only, earlier phrases first among equals (a baseline).
    TfOnly,
}

/// Settings of keyphrase extraction.
#[derive(Clone, Copy, Debug)]
pub struct KeyphraseExtractor<'a> {
    /// Document frequencies.
    pub df: DfTable<'a>,
    /// Keyphrases returned.
    pub top: usize,
    /// Scoring.
    pub scoring: Scoring,
}

impl Default for KeyphraseExtractor<'static> {
    fn default() -> Self {
        KeyphraseExtractor {
            df: DfTable::embedded(),
            top: 10,
            scoring: Scoring::Full,
        }
    }
}

/// A candidate n-gram and where it occurs.
#[derive(Clone, Debug)]
struct Candidate {
    n: u8,
    count: u32,
    first: u32,
    last: u32,
    /// Surface variants: (start, end, count), in order of first occurrence.
    variants: Vec<(u32, u32, u32)>,
}

/// Smallest cohesion of a multi-word phrase (see [`KeyphraseExtractor::extract`]).
const MIN_COHESION: f32 = 0.15;
/// Score bonus of each word of a phrase after the first.
const PHRASE_BONUS: f32 = 0.25;

/// Weight of the first occurrence: higher in the first sentences, 1 after the tenth or so.
fn position_weight(sentence: u32) -> f32 {
    1.0 + 1.5 / (1.0 + sentence as f32)
}

impl KeyphraseExtractor<'_> {
    /// The keyphrases of `text`, given its content words, best first.
    pub fn extract(&self, text: &str, words: &Words) -> Vec<Keyphrase> {
        let mut cands: HashMap<u64, Candidate> = HashMap::with_capacity(words.len() * 2);
        for i in 0..words.len() {
            for n in 1..=MAX_NGRAM {
                if !words.is_ngram(i, n) {
                    break;
                }
                let key = words.ngram_key(i, n);
                let (s, e) = (words.words[i].start, words.words[i + n - 1].end);
                let c = cands.entry(key).or_insert_with(|| Candidate {
                    n: n as u8,
                    count: 0,
                    first: i as u32,
                    last: i as u32,
                    variants: Vec::new(),
                });
                c.count += 1;
                c.last = i as u32;
                let surface = &text[s..e];
                match c
                    .variants
                    .iter_mut()
                    .find(|v| &text[v.0 as usize..v.1 as usize] == surface)
                {
                    Some(v) => v.2 += 1,
                    None => c.variants.push((s as u32, e as u32, 1)),
                }
            }
        }
        let len = words.len().max(1) as f32;
        let unseen = 1.0;
        let mut scored: Vec<(f32, u64, &Candidate)> = Vec::with_capacity(cands.len());
        for (&key, c) in &cands {
            let tf = c.count as f32;
            let f = c.first as usize;
            let n = c.n as usize;
            // Words of a phrase: their mean IDF, and how tied together they are — the share of
            // the rarest word's documents (or of its occurrences here) that hold the phrase.
            let (idf, cohesion) = if n == 1 {
                (self.df.idf(key, unseen), 1.0)
            } else {
                let (mut idf_sum, mut min_df, mut min_tf) = (0.0f32, f32::MAX, u32::MAX);
                for k in f..f + n {
                    let wk = words.ngram_key(k, 1);
                    idf_sum += self.df.idf(wk, unseen);
                    min_df = min_df.min(self.df.get(wk).map_or(unseen, |d| d as f32));
                    min_tf = min_tf.min(cands.get(&wk).map_or(1, |w| w.count));
                }
                let corpus = self.df.get(key).map_or(0.0, |d| d as f32) / min_df;
                let here = if c.count >= 2 {
                    tf / min_tf as f32
                } else {
                    0.0
                };
                (idf_sum / n as f32, corpus.max(here).min(1.0))
            };
            if cohesion < MIN_COHESION {
                continue;
            }
            let score = match self.scoring {
                Scoring::TfOnly => tf,
                Scoring::TfIdf | Scoring::Full => {
                    // Tuned on the dev half of the held-out articles (AIDS.md): raw TF and a
                    // square-rooted IDF, so one-off rare words do not crowd out the topic.
                    let mut s = tf * idf.sqrt() * (1.0 + PHRASE_BONUS * (n - 1) as f32);
                    if self.scoring == Scoring::Full {
                        let first = &words.words[f];
                        let spread = (c.last - c.first) as f32 / len;
                        s *= position_weight(first.sentence) * (1.0 + spread);
                    }
                    s
                }
            };
            scored.push((score, key, c));
        }
        // Best first; ties go to the earlier, then the longer phrase (deterministic).
        scored.sort_unstable_by(|a, b| {
            b.0.total_cmp(&a.0)
                .then(a.2.first.cmp(&b.2.first))
                .then(b.2.n.cmp(&a.2.n))
                .then(a.1.cmp(&b.1))
        });
        let mut out: Vec<Keyphrase> = Vec::with_capacity(self.top);
        let mut chosen: Vec<(u32, u32, Vec<u64>)> = Vec::new();
        for (score, _, c) in scored {
            if out.len() >= self.top {
                break;
            }
            let stems: Vec<u64> = (c.first as usize..c.first as usize + c.n as usize)
                .map(|k| words.ngram_key(k, 1))
                .collect();
            let overlaps = chosen.iter().any(|(_, _, other)| {
                stems.iter().all(|s| other.contains(s)) || other.iter().all(|s| stems.contains(s))
            });
            if overlaps {
                continue;
            }
            let best = c
                .variants
                .iter()
                .max_by(|a, b| a.2.cmp(&b.2).then(b.0.cmp(&a.0)))
                .expect("a candidate has a variant");
            let first = &c.variants[0];
            let f = c.first as usize;
            let key = (f..f + c.n as usize)
                .map(|k| words.stem(k))
                .collect::<Vec<_>>()
                .join(" ");
            out.push(Keyphrase {
                text: text[best.0 as usize..best.1 as usize].to_string(),
                key,
                score,
                count: c.count,
                start: first.0 as usize,
                end: first.1 as usize,
            });
            chosen.push((c.first, c.n as u32, stems));
        }
        out
    }
}

/// Keyphrases scored against titles, as `qalam eval keyphrases` does: a keyphrase is a hit when
/// every stem of its content words is a stem of the title; coverage is the share of title stems
/// that some keyphrase of the document names.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TitleScores {
    /// Documents added.
    pub docs: usize,
    /// Keyphrases whose stems are all title stems.
    pub hits: usize,
    /// Title stems named by a keyphrase (once per document).
    pub covered: usize,
    /// Title stems (distinct per document).
    pub title_stems: usize,
}

impl TitleScores {
    /// Scores the keyphrases of one document against its title.
    pub fn add(&mut self, title: &str, phrases: &[Keyphrase]) {
        let title = stem_keys(title);
        let mut found = HashSet::new();
        for p in phrases {
            let stems = stem_keys(&p.key);
            if !stems.is_empty() && stems.iter().all(|s| title.contains(s)) {
                self.hits += 1;
            }
            found.extend(stems.into_iter().filter(|s| title.contains(s)));
        }
        self.docs += 1;
        self.covered += found.len();
        self.title_stems += title.len();
    }

    /// Hits over `k` keyphrases per document (missing keyphrases count as misses).
    pub fn precision_at(&self, k: usize) -> f64 {
        self.hits as f64 / (self.docs * k).max(1) as f64
    }

    /// Title stems named by a keyphrase over all title stems.
    pub fn coverage(&self) -> f64 {
        self.covered as f64 / self.title_stems.max(1) as f64
    }
}

/// The stems of the content words of `text`, as n-gram keys.
fn stem_keys(text: &str) -> HashSet<u64> {
    let w = Words::new(text);
    (0..w.len()).map(|i| w.ngram_key(i, 1)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn extract(text: &str, scoring: Scoring) -> Vec<Keyphrase> {
        let x = KeyphraseExtractor {
            scoring,
            ..KeyphraseExtractor::default()
        };
        x.extract(text, &Words::new(text))
    }

    #[test]
    fn clitic_variants_group_and_show_the_common_surface() {
        let text = "سيطر التنظيم على الموصل. وفي الموصل قتل العشرات، وهرب سكان بالموصل من الموصل إلى أربيل.";
        let k = extract(text, Scoring::Full);
        let mosul = k
            .iter()
            .find(|p| p.key == "موصل")
            .expect("الموصل is a keyphrase");
        assert_eq!(mosul.text, "الموصل");
        assert_eq!(mosul.count, 4);
        assert_eq!(&text[mosul.start..mosul.end], "الموصل");
        assert_eq!(k[0].key, "موصل", "{k:?}");
    }

    #[test]
    fn known_bigram_beats_its_words() {
        let text =
            "قال وزير الخارجية إن وزير الخارجية سيزور موسكو. وأكد وزير الخارجية أهمية الزيارة.";
        let k = extract(text, Scoring::Full);
        assert!(k.iter().any(|p| p.text == "وزير الخارجية"), "{k:?}");
        assert!(
            !k.iter().any(|p| p.key == "وزير"),
            "a word of a chosen phrase is not repeated: {k:?}"
        );
    }

    #[test]
    fn idf_outranks_frequent_news_words() {
        // Same counts: the rare name must beat the everyday word under TF-IDF but not TF only.
        let text = "أكدت المملكة موقفها. وزار كاميرون المملكة. وتحدث كاميرون عن التطرف.";
        let full = extract(text, Scoring::TfIdf);
        let pos = |k: &[Keyphrase], key: &str| k.iter().position(|p| p.key == key);
        assert!(pos(&full, "كامير") < pos(&full, "مملك"), "{full:?}");
        let tf = extract(text, Scoring::TfOnly);
        assert_eq!(tf[0].key, "مملك", "{tf:?}");
    }

    #[test]
    fn empty_text_has_no_keyphrases() {
        assert!(extract("", Scoring::Full).is_empty());
        assert!(extract("في من إلى 2015", Scoring::Full).is_empty());
    }

    #[test]
    fn title_scores_by_hand() {
        let phrase = |text: &str| {
            let w = Words::new(text);
            Keyphrase {
                text: text.into(),
                key: (0..w.len())
                    .map(|i| w.stem(i))
                    .collect::<Vec<_>>()
                    .join(" "),
                score: 1.0,
                count: 1,
                start: 0,
                end: 0,
            }
        };
        let mut s = TitleScores::default();
        // Title stems: مدرس, جديد, رياض (3). "المدرسة الجديدة" is a hit (both stems in the
        // title), "الوزارة" a miss; covered: مدرس and جديد (2).
        s.add(
            "المدرسة الجديدة في الرياض",
            &[phrase("المدرسة الجديدة"), phrase("الوزارة")],
        );
        assert_eq!((s.docs, s.hits, s.covered, s.title_stems), (1, 1, 2, 3));
        // A second document, title stems كورون and صح (2), one keyphrase naming one of them.
        s.add("كورونا والصحة", &[phrase("كورونا")]);
        assert_eq!((s.docs, s.hits, s.covered, s.title_stems), (2, 2, 3, 5));
        assert_eq!(s.precision_at(2), 0.5);
        assert_eq!(s.coverage(), 0.6);
        assert_eq!(TitleScores::default().precision_at(5), 0.0);
    }
}
