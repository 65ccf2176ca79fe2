//! The one error type of the model files: reading, checking and writing them.

use std::path::PathBuf;

use super::ModelKind;

/// An error reading, checking or writing a model file.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// The data does not start with the `QLMT` magic.
    #[error("not a qalam model file (no QLMT magic)")]
    NotAModel,
    /// The file holds another kind of model.
    #[error("a {found:?} model file where a {expected} model was expected")]
    Kind {
        /// The kind bytes of the file.
        found: String,
        /// The kind that was asked for.
        expected: ModelKind,
    },
    /// The file was written in another format version of its kind.
    #[error("{kind} model format version {found}, this build reads version {expected}")]
    Version {
        /// The kind of model.
        kind: ModelKind,
        /// The version in the file.
        found: u32,
        /// The version this build reads.
        expected: u32,
    },
    /// The bytes ended before the model did.
    #[error("model data is truncated")]
    Truncated,
    /// A field holds an impossible value.
    #[error("model data is corrupt: {0}")]
    Corrupt(&'static str),
    /// Training settings that cannot give a model.
    #[error("invalid training settings: {0}")]
    Settings(String),
    /// Reading or writing a model file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}
