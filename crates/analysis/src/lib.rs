//! qalam-analysis: the document pipeline — tokens, sentences, stems, entities, keyphrases,
//! summaries and near-duplicate fingerprints — and the JSON of an analysed document.
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
pub mod document;
mod error;
pub mod fingerprint;
pub mod keyphrase;
mod pipeline;
pub mod rouge;
pub mod stories;
pub mod summary;
pub mod trends;
pub mod ud;
pub mod words;

pub use document::{AnalyzedDocument, Fingerprint};
pub use error::AnalysisError;
pub use pipeline::{EntityModel, Pipeline, PipelineOptions};
pub use qalam_tagger::ner::{Entity, EntityKind};
use qalam_text::{Sentence, TokenKind};
use serde::{Deserialize, Serialize};

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
    /// Stem of the normalized form, for word tokens (`null` for the others).
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
    /// Near-duplicate fingerprint (when the pipeline computes fingerprints); not part of the
    /// JSON, see [`AnalyzedDocument::with_fingerprint`].
    #[serde(skip)]
    pub fingerprint: Option<fingerprint::MinHash>,
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

#[cfg(test)]
mod tests {
    use super::*;

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
