//! qalam-tagger: trained sequence models for Arabic — named entities (NER) and the UD-PADT
//! morphology models (clitic segmentation, POS tags, lemmas).
#![deny(missing_docs)]

pub mod ner;
pub mod padt;
pub mod perceptron;
