//! qalam-tagger: trained sequence models for Arabic — named entities (NER) and the UD-PADT
//! morphology models (clitic segmentation, POS tags, lemmas), built from one toolkit of linear
//! models and one model file format ([`linear`]); and word/subword embeddings ([`embed`]).
#![deny(missing_docs)]

pub mod embed;
pub mod linear;
pub mod ner;
pub mod padt;
