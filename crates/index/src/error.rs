//! The error type of the index.

use std::path::PathBuf;

/// An error of opening, writing or searching an index.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IndexError {
    /// An error concerning the file or index directory at `path`.
    #[error("{}: {err}", path.display())]
    WithPath {
        /// The file or directory.
        path: PathBuf,
        /// The error.
        err: Box<IndexError>,
    },
    /// A directory that is not a qalam index (no `qalam.json`).
    #[error("not a qalam index (no qalam.json); create one with `qalam index`")]
    NotAnIndex,
    /// A directory that is not empty and not a qalam index, where one was to be created.
    #[error("directory is not empty and is not a qalam index")]
    NotEmpty,
    /// `qalam.json` from another (incompatible) version of qalam.
    #[error("index format {found} is not supported (this qalam reads format {expected})")]
    Format {
        /// The format found.
        found: u32,
        /// The format this build reads.
        expected: u32,
    },
    /// A stemmer name the index does not know.
    #[error("unknown stemmer {0:?} (expected one of: light, isri, snowball, none)")]
    UnknownStemmer(String),
    /// A query that cannot be parsed or run.
    #[error("invalid query: {0}")]
    Query(String),
    /// A query over one of the [`QueryLimits`](crate::QueryLimits) (length, depth, clauses).
    #[error("query too complex: {0}")]
    QueryTooComplex(String),
    /// Work stopped because its [`Deadline`](crate::Deadline) passed.
    #[error("stopped: the request's time ran out")]
    DeadlinePassed,
    /// A document that cannot be indexed.
    #[error("document {id}: {message}")]
    Document {
        /// The document id.
        id: String,
        /// What is wrong.
        message: String,
    },
    /// An error of tantivy.
    #[error("{0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// Malformed `qalam.json`.
    #[error("bad qalam.json: {0}")]
    Settings(#[from] serde_json::Error),
    /// An I/O error.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

impl IndexError {
    /// Wraps `self` with the path it concerns.
    pub fn with_path(self, path: impl Into<PathBuf>) -> IndexError {
        IndexError::WithPath {
            path: path.into(),
            err: Box::new(self),
        }
    }

    /// Returns the error kind under the path wrapper.
    pub fn kind(&self) -> &IndexError {
        match self {
            IndexError::WithPath { err, .. } => err.kind(),
            other => other,
        }
    }
}
