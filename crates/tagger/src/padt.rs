//! UD Arabic-PADT models: clitic segmentation, POS tags (UPOS, XPOS, FEATS) and lemmas.
//!
//! The models are trained on UD Arabic-PADT (CC BY-NC-SA 3.0); so are the embedded model
//! files, which inherit its non-commercial terms.

pub mod codec;
pub mod conllu;
pub mod data;
pub mod lexicon;
pub mod linear;
pub mod seg;
pub mod surface;

pub use seg::{SegConfig, Segment, Segmenter};
pub use surface::{Join, rebuild_surface};

/// Errors of the PADT models.
#[derive(Debug, thiserror::Error)]
pub enum PadtError {
    /// A model file is malformed.
    #[error("bad model file: {0}")]
    Format(String),
    /// A model file has another format version.
    #[error("model format version {found}, this build reads {expected}")]
    Version {
        /// Version in the file.
        found: u32,
        /// Version this build reads.
        expected: u32,
    },
}
