//! The exception classes: every error qalam raises is a `qalam.QalamError`, with the Rust message.

use pyo3::exceptions::PyException;
use pyo3::{PyErr, create_exception};

create_exception!(
    qalam,
    QalamError,
    PyException,
    "Base class of every error raised by qalam."
);
create_exception!(
    qalam,
    ArgumentError,
    QalamError,
    "An argument qalam does not accept: an unknown profile, algorithm or encoding name."
);
create_exception!(
    qalam,
    InputError,
    QalamError,
    "A text qalam cannot read: a string that is not valid Unicode (lone surrogates)."
);
create_exception!(
    qalam,
    ModelError,
    QalamError,
    "A model that cannot be loaded."
);
create_exception!(
    qalam,
    QueryError,
    QalamError,
    "A search query that cannot be parsed or run."
);
create_exception!(
    qalam,
    DocumentError,
    QalamError,
    "A document that cannot be indexed."
);
create_exception!(
    qalam,
    StorageError,
    QalamError,
    "An index directory that cannot be opened, read or written."
);

/// An [`ArgumentError`] with `message`.
pub fn argument(message: impl Into<String>) -> PyErr {
    ArgumentError::new_err(message.into())
}

/// An [`InputError`] with `message`.
pub fn input(message: impl Into<String>) -> PyErr {
    InputError::new_err(message.into())
}

/// The Python exception of an index error.
pub fn index(e: qalam_index::IndexError) -> PyErr {
    use qalam_index::IndexError as E;
    let message = e.to_string();
    match e.kind() {
        E::Query(_) => QueryError::new_err(message),
        E::Document { .. } => DocumentError::new_err(message),
        E::UnknownStemmer(_) => ArgumentError::new_err(message),
        _ => StorageError::new_err(message),
    }
}

/// The Python exception of a pipeline error.
pub fn model(e: qalam_analysis::AnalysisError) -> PyErr {
    ModelError::new_err(e.to_string())
}
