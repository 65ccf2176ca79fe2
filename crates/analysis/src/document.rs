//! [`AnalyzedDocument`]: the JSON of one analysed document, as `qalam analyze --format json`,
//! `POST /api/analyze` and Python's `qalam.analyze` write it.

use serde::{Deserialize, Serialize};

use crate::Analysis;
use crate::fingerprint::MinHash;
use crate::ud::UdWord;

/// One analysed document: its name and offset in its input, its analysis and, when asked, its
/// fingerprint and UD words.
#[derive(Clone, Debug, Serialize)]
pub struct AnalyzedDocument {
    /// The input it came from (a file name, `-` for stdin, `request` for the server).
    pub name: String,
    /// Byte offset of the document in its input (all spans include it).
    pub offset: usize,
    /// Sentences, tokens, entities, keyphrases and summary.
    #[serde(flatten)]
    pub analysis: Analysis,
    /// Near-duplicate fingerprint (only when asked for).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<Fingerprint>,
    /// UD words of the PADT models (only when asked for).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub words: Option<Vec<UdWord>>,
}

impl AnalyzedDocument {
    /// The document `name` at `offset` with its analysis (already shifted to the offset).
    pub fn new(name: impl Into<String>, offset: usize, analysis: Analysis) -> AnalyzedDocument {
        AnalyzedDocument {
            name: name.into(),
            offset,
            analysis,
            fingerprint: None,
            words: None,
        }
    }

    /// Adds the JSON fingerprint of the analysis (none if the pipeline computed none).
    pub fn with_fingerprint(mut self) -> AnalyzedDocument {
        self.fingerprint = self.analysis.fingerprint.as_ref().map(Fingerprint::from);
        self
    }
}

/// A near-duplicate fingerprint in JSON: the MinHash signature and its LSH band keys.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fingerprint {
    /// The signature's bytes ([`MinHash::to_bytes`]) in lower-case hex.
    pub minhash: String,
    /// The LSH band keys as 16 hex digits, as the index's `lsh` field holds them (none for a
    /// text without content words).
    pub bands: Vec<String>,
}

impl From<&MinHash> for Fingerprint {
    fn from(sig: &MinHash) -> Fingerprint {
        let mut minhash = String::with_capacity(2 * crate::fingerprint::BYTES);
        for b in sig.to_bytes() {
            minhash.push(char::from_digit(u32::from(b >> 4), 16).unwrap_or('0'));
            minhash.push(char::from_digit(u32::from(b & 15), 16).unwrap_or('0'));
        }
        Fingerprint {
            minhash,
            bands: sig.band_terms(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Pipeline;

    #[test]
    fn keys_in_cli_order() {
        let a = Pipeline::default().analyze("زار الملك سلمان الرياض.");
        let d = AnalyzedDocument::new("-", 0, a.clone());
        let json = serde_json::to_string(&d).unwrap();
        assert!(
            json.starts_with(r#"{"name":"-","offset":0,"sentences":["#),
            "{json}"
        );
        let at = |key: &str| json.find(&format!("\"{key}\":")).unwrap_or(usize::MAX);
        let keys = ["sentences", "tokens", "entities", "keyphrases", "summary"];
        assert!(keys.windows(2).all(|w| at(w[0]) < at(w[1])), "{json}");
        assert!(at("summary") < usize::MAX && at("fingerprint") == usize::MAX);
        let f = serde_json::to_value(d.with_fingerprint()).unwrap();
        let sig = a.fingerprint.unwrap();
        assert_eq!(f["fingerprint"]["bands"].as_array().unwrap().len(), 42);
        assert_eq!(
            f["fingerprint"]["minhash"].as_str().unwrap().len(),
            2 * crate::fingerprint::BYTES
        );
        assert_eq!(f["fingerprint"]["bands"][0], sig.band_terms()[0]);
    }
}
