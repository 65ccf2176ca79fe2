//! [`AnalysisError`]: what can go wrong building a [`Pipeline`](crate::Pipeline).

use std::path::PathBuf;

/// An error loading the models of a pipeline.
#[derive(Debug, thiserror::Error)]
pub enum AnalysisError {
    /// A model file could not be read or is not a model of the right kind.
    #[error("{}: {message}", path.display())]
    Model {
        /// The model file.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// An embedded model could not be loaded.
    #[error("embedded {model} model: {message}")]
    Embedded {
        /// Which model ("PADT", …).
        model: &'static str,
        /// What went wrong.
        message: String,
    },
}
