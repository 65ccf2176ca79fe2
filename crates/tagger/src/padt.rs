//! UD Arabic-PADT models: clitic segmentation, POS tags (UPOS, XPOS, FEATS) and lemmas.
//!
//! The models are trained on UD Arabic-PADT (CC BY-NC-SA 3.0); so are the embedded model
//! files, which inherit its non-commercial terms.

pub mod conllu;
pub mod data;
pub mod eval;
pub mod lemma;
pub mod lexicon;
pub mod pipeline;
pub mod pos;
pub mod seg;
pub mod surface;

pub use lemma::{Lemma, LemmaConfig, Lemmatizer};
pub use pipeline::{AnalysisCache, Analyzed, AnalyzedWord, PadtPipeline, SegmentedToken};
pub use pos::{PosConfig, PosTagger};
pub use seg::{SegConfig, Segment, Segmenter};
pub use surface::{Join, rebuild_surface};

use std::sync::OnceLock;

use crate::linear::ModelError;

static SEG_MODEL: &[u8] = include_bytes!("../models/seg.qlm");
static POS_MODEL: &[u8] = include_bytes!("../models/pos.qlm");
static LEMMA_MODEL: &[u8] = include_bytes!("../models/lemma.qlm");

impl PadtPipeline {
    /// The models embedded in the binary (trained on UD-PADT, CC BY-NC-SA).
    pub fn embedded() -> Result<PadtPipeline, ModelError> {
        Ok(PadtPipeline {
            seg: Segmenter::load(SEG_MODEL)?,
            pos: PosTagger::load(POS_MODEL)?,
            lemma: Lemmatizer::load(LEMMA_MODEL)?,
        })
    }
}

/// The embedded segmenter, loaded once.
pub fn default_segmenter() -> &'static Segmenter {
    static SEG: OnceLock<Segmenter> = OnceLock::new();
    SEG.get_or_init(|| Segmenter::load(SEG_MODEL).expect("embedded segmenter model is valid"))
}

/// Fills LEMMA (vocalized), UPOS, XPOS and FEATS of every word line of a CoNLL-U sentence,
/// leaving all other columns and lines untouched.
pub fn tag_sentence(pos: &PosTagger, lem: &Lemmatizer, s: &mut conllu::ConlluSentence) {
    use conllu::col;
    let forms: Vec<String> = s.words().map(|c| c[col::FORM].clone()).collect();
    let refs: Vec<&str> = forms.iter().map(String::as_str).collect();
    let tags = pos.tag(&refs);
    for (cols, t) in s.words_mut().zip(tags) {
        let l = lem.lemma(&cols[col::FORM], pos.upos(t), pos.xpos(t));
        cols[col::LEMMA] = if l.vocalized.is_empty() {
            "_".into()
        } else {
            l.vocalized
        };
        cols[col::UPOS] = pos.upos(t).to_string();
        cols[col::XPOS] = pos.xpos(t).to_string();
        cols[col::FEATS] = pos.feats(t).to_string();
    }
}

/// A search stem: clitics removed by the embedded segmenter, then the article and one
/// inflectional suffix stripped from the host.
///
/// ```
/// let s = qalam_tagger::padt::seg_stem("وبالمدينة");
/// assert!(!s.starts_with('و'));
/// ```
pub fn seg_stem(word: &str) -> String {
    default_segmenter().stem(word)
}
