//! UD words of the PADT models (clitics split off) with byte spans into the original text.

use qalam_tagger::padt::{AnalysisCache, PadtPipeline};
use serde::Serialize;

/// A UD word (a clitic or a host) with its analysis and byte spans.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UdWord {
    /// The UD form (spelling restored inside fused tokens).
    pub form: String,
    /// Byte span of its visible part in the input.
    pub start: usize,
    /// End of that span.
    pub end: usize,
    /// Byte span of the surface token it belongs to.
    pub token_start: usize,
    /// End of that span.
    pub token_end: usize,
    /// Universal POS tag.
    pub upos: String,
    /// PADT tag.
    pub xpos: String,
    /// UD features (`_` for none).
    pub feats: String,
    /// Undiacritized lemma.
    pub lemma: String,
    /// Diacritized lemma (empty where unknown).
    pub lemma_vocalized: String,
}

/// The UD words of `text`, sentence by sentence, with offsets shifted by `offset`; `cache` may be
/// kept across calls.
pub fn ud_words(
    padt: &PadtPipeline,
    text: &str,
    offset: usize,
    cache: &mut AnalysisCache,
) -> Vec<UdWord> {
    let tokens = qalam_text::tokenize(text);
    let mut words = Vec::new();
    for s in qalam_text::sentences(text) {
        let from = tokens.partition_point(|t| t.end <= s.start);
        let to = tokens.partition_point(|t| t.start < s.end);
        let a = padt.analyze_cached(text, &tokens[from..to], cache);
        words.extend(a.words.into_iter().map(|w| {
            let t = &a.tokens[w.token];
            UdWord {
                start: w.start + offset,
                end: w.end + offset,
                token_start: t.start + offset,
                token_end: t.end + offset,
                upos: padt.pos.upos(w.tag).to_string(),
                xpos: padt.pos.xpos(w.tag).to_string(),
                feats: padt.pos.feats(w.tag).to_string(),
                lemma: w.lemma.plain,
                lemma_vocalized: w.lemma.vocalized,
                form: w.form,
            }
        }));
    }
    words
}
