//! qalam-analysis: the document pipeline — tokens, sentences, stems, and (as models land)
//! entities, keyphrases, summaries and near-duplicate fingerprints.
//!
//! ```
//! use qalam_analysis::Pipeline;
//!
//! let text = "قال د. محمد فى القاهرة. ثم عاد.";
//! let analysis = Pipeline::default().analyze(text);
//! assert_eq!(analysis.sentences.len(), 2);
//! let fi = analysis.tokens.iter().find(|t| t.text == "فى").unwrap();
//! assert_eq!(fi.norm, "في");
//! assert_eq!(&text[fi.start..fi.end], "فى");
//! ```
#![deny(missing_docs)]

pub mod df;
pub mod fingerprint;
pub mod keyphrase;
pub mod morph;
pub mod stories;
pub mod summary;
pub mod trends;

use df::Words;
use keyphrase::KeyphraseExtractor;
use qalam_morph::Stemmer;
use qalam_tagger::ner::NerTagger;
pub use qalam_tagger::ner::{Entity, EntityKind};
use qalam_text::{Options, Sentence, SentenceSplitter, Span, TokenKind, tokenize_with};
use serde::{Deserialize, Serialize};
use summary::Summarizer;

/// One token of an analysed document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnalyzedToken {
    /// Surface form: the original text of the token.
    pub text: String,
    /// What the token is.
    pub kind: TokenKind,
    /// Byte offset into the original text.
    pub start: usize,
    /// Byte offset one past the token's end.
    pub end: usize,
    /// Char offset into the original text.
    pub char_start: usize,
    /// Char offset one past the token's end.
    pub char_end: usize,
    /// Normalized form (search profile).
    pub norm: String,
    /// Stem of the normalized form, for word tokens.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stem: Option<String>,
}

/// The analysis of one document; every span is a byte range of the original text.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    /// Sentence spans.
    pub sentences: Vec<Sentence>,
    /// Tokens in order.
    pub tokens: Vec<AnalyzedToken>,
    /// Named entities (persons, places, organisations, other names).
    pub entities: Vec<Entity>,
    /// Keyphrases, best first (spans of their first occurrence).
    #[serde(default)]
    pub keyphrases: Vec<keyphrase::Keyphrase>,
    /// Extractive summary: sentence spans in text order.
    #[serde(default)]
    pub summary: Vec<summary::SummarySentence>,
}

impl Analysis {
    /// Adds `base` to every byte offset (for documents cut out of a larger input).
    pub fn shift(&mut self, base: usize, char_base: usize) {
        for s in &mut self.sentences {
            s.start += base;
            s.end += base;
        }
        for t in &mut self.tokens {
            t.start += base;
            t.end += base;
            t.char_start += char_base;
            t.char_end += char_base;
        }
        for e in &mut self.entities {
            e.start += base;
            e.end += base;
        }
        for k in &mut self.keyphrases {
            k.start += base;
            k.end += base;
        }
        for s in &mut self.summary {
            s.start += base;
            s.end += base;
        }
    }
}

/// Settings of the document pipeline.
#[derive(Clone, Debug)]
pub struct Pipeline {
    /// Stemmer applied to word tokens.
    pub stemmer: Stemmer,
    /// Normalization applied to each token.
    pub options: Options,
    /// Sentence splitter.
    pub splitter: SentenceSplitter,
    /// Find named entities with the embedded NER model.
    pub entities: bool,
    /// Keyphrases to extract (0: none).
    pub keyphrases: usize,
    /// Sentences of the extractive summary (0: none).
    pub summary: usize,
}

impl Default for Pipeline {
    fn default() -> Self {
        Pipeline {
            stemmer: Stemmer::Light,
            options: Options::SEARCH,
            splitter: SentenceSplitter::default(),
            entities: true,
            keyphrases: 10,
            summary: 3,
        }
    }
}

impl Pipeline {
    /// Analyses one document.
    pub fn analyze(&self, text: &str) -> Analysis {
        let tokens = tokenize_with(text, &self.options);
        let spans: Vec<Span> = tokens
            .iter()
            .map(|t| Span {
                kind: t.kind,
                start: t.start,
                end: t.end,
            })
            .collect();
        let sentences = self.splitter.split(text, &spans);
        let entities = if self.entities {
            NerTagger::embedded().entities_with_sentences(text, &tokens, &sentences)
        } else {
            Vec::new()
        };
        let mut stem = String::new();
        let tokens = tokens
            .into_iter()
            .map(|t| {
                let stem = matches!(t.kind, TokenKind::Word).then(|| {
                    self.stemmer.stem_into(&t.norm, &mut stem);
                    stem.clone()
                });
                AnalyzedToken {
                    text: text[t.start..t.end].to_string(),
                    kind: t.kind,
                    start: t.start,
                    end: t.end,
                    char_start: t.char_start,
                    char_end: t.char_end,
                    norm: t.norm,
                    stem,
                }
            })
            .collect();
        let mut analysis = Analysis {
            sentences,
            tokens,
            entities,
            ..Analysis::default()
        };
        if self.keyphrases > 0 || self.summary > 0 {
            let words = Words::from_analysis(&analysis);
            if self.keyphrases > 0 {
                let x = KeyphraseExtractor {
                    top: self.keyphrases,
                    ..KeyphraseExtractor::default()
                };
                analysis.keyphrases = x.extract(text, &words);
            }
            if self.summary > 0 {
                let s = Summarizer {
                    sentences: self.summary,
                    ..Summarizer::default()
                };
                analysis.summary = s.summarize(&analysis.sentences, &words);
            }
        }
        analysis
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_words_only() {
        let a = Pipeline::default().analyze("والكتاب 2015 Book");
        assert_eq!(a.tokens[0].stem.as_deref(), Some("كتاب"));
        assert_eq!(a.tokens[1].stem, None);
        assert_eq!(a.tokens[2].stem, None);
    }

    #[test]
    fn entities_of_the_seed_byline() {
        let text = "بقلم : مكرم محمد أحمد\nلا تزال داعش تطلق تهديداتها فى الموصل والرقة .";
        let a = Pipeline::default().analyze(text);
        for e in &a.entities {
            assert_eq!(&text[e.start..e.end], e.text);
        }
        let has = |kind: EntityKind, surface: &str| {
            a.entities
                .iter()
                .any(|e| e.kind == kind && e.text.contains(surface))
        };
        assert!(has(EntityKind::Pers, "مكرم محمد أحمد"), "{:?}", a.entities);
    }

    #[test]
    fn keyphrases_and_summary_in_the_analysis() {
        let text = "أعلنت وزارة الصحة تسجيل إصابات بفيروس كورونا.\nوقالت الوزارة إن فيروس كورونا ينتشر.\nوكان الجو حارا.";
        let mut a = Pipeline::default().analyze(text);
        assert!(
            a.keyphrases.iter().any(|k| k.text == "كورونا"),
            "{:?}",
            a.keyphrases
        );
        assert_eq!(a.summary.len(), 3);
        let s = a.summary[0];
        assert_eq!(
            &text[s.start..s.end],
            "أعلنت وزارة الصحة تسجيل إصابات بفيروس كورونا."
        );
        let k = a.keyphrases[0].clone();
        a.shift(5, 2);
        assert_eq!(
            (a.keyphrases[0].start, a.summary[0].start),
            (k.start + 5, s.start + 5)
        );
        let json = serde_json::to_value(&a).unwrap();
        assert!(json["keyphrases"][0]["text"].is_string());
        assert!(json["summary"][0]["end"].is_u64());
    }

    #[test]
    fn shift_moves_offsets() {
        let mut a = Pipeline::default().analyze("نص");
        a.shift(10, 5);
        assert_eq!((a.tokens[0].start, a.tokens[0].end), (10, 14));
        assert_eq!((a.tokens[0].char_start, a.tokens[0].char_end), (5, 7));
        assert_eq!((a.sentences[0].start, a.sentences[0].end), (10, 14));
    }
}
