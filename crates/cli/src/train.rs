//! `qalam train …`: tables and models learnt from data under ../shared/data, one module per
//! model family.

/// `qalam train df`.
pub mod df;
/// `qalam train embeddings`.
pub mod embeddings;
/// `qalam train ner`.
pub mod ner;
/// `qalam train seg|pos|lemma`.
pub mod padt;
