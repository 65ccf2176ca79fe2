//! `qalam._qalam`: the Python module of qalam, thin over the Rust crates (one file per concern:
//! analysis, text functions, NER, the index, errors and conversions).

mod aids;
mod analyze;
mod columns;
mod convert;
mod corpus;
mod error;
mod index;
mod ner;
mod text;

use pyo3::prelude::*;

/// qalam: offline Arabic news-text analysis and search.
#[pymodule]
fn _qalam(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(analyze::analyze, m)?)?;
    m.add_function(wrap_pyfunction!(analyze::analyze_many, m)?)?;
    m.add_function(wrap_pyfunction!(text::normalize, m)?)?;
    m.add_function(wrap_pyfunction!(text::tokenize, m)?)?;
    m.add_function(wrap_pyfunction!(text::sentences, m)?)?;
    m.add_function(wrap_pyfunction!(text::stem, m)?)?;
    m.add_function(wrap_pyfunction!(text::translit, m)?)?;
    m.add_function(wrap_pyfunction!(ner::tag_ner, m)?)?;
    m.add_function(wrap_pyfunction!(columns::analyze_columns, m)?)?;
    m.add_function(wrap_pyfunction!(corpus::read_documents, m)?)?;
    m.add_function(wrap_pyfunction!(corpus::input_files, m)?)?;
    m.add_function(wrap_pyfunction!(aids::near_duplicates, m)?)?;
    m.add_function(wrap_pyfunction!(aids::assign_clusters, m)?)?;
    m.add_function(wrap_pyfunction!(aids::jaccard, m)?)?;
    m.add_function(wrap_pyfunction!(aids::stories, m)?)?;
    m.add_class::<corpus::Documents>()?;
    m.add_class::<index::Index>()?;
    m.add("QalamError", py.get_type::<error::QalamError>())?;
    m.add("ArgumentError", py.get_type::<error::ArgumentError>())?;
    m.add("InputError", py.get_type::<error::InputError>())?;
    m.add("ModelError", py.get_type::<error::ModelError>())?;
    m.add("QueryError", py.get_type::<error::QueryError>())?;
    m.add("DocumentError", py.get_type::<error::DocumentError>())?;
    m.add("StorageError", py.get_type::<error::StorageError>())?;
    Ok(())
}
