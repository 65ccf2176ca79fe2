//! Word and subword embeddings trained on unlabelled text (SaudiNewsNet), fastText-style: the
//! first layer of the neural NER tagger.
//!
//! ```
//! use qalam_tagger::embed::{Embeddings, Found};
//!
//! let emb = Embeddings::embedded();
//! let mut v = vec![0f32; emb.dim()];
//! assert!(matches!(emb.lookup("القاهرة", &mut v), Found::Word(_)));
//! // A word never seen still gets a vector from its char n-grams.
//! assert!(matches!(emb.lookup("والقاهريين", &mut v), Found::Word(_) | Found::Subwords(_)));
//! ```
//!
//! | file | what |
//! |---|---|
//! | `embed/corpus.rs` | [`Corpus`]: the training text as documents of interned tokens |
//! | `embed/ngrams.rs` | the hashed char n-grams of a word (`<` `>` boundaries, 3–5 chars) |
//! | `embed/train.rs` | [`train`]: skip-gram with negative sampling over words and n-grams |
//! | `embed/model.rs` | [`Embeddings`]: int8 rows, the `emb` model file, lookups (OOV from n-grams) |
//! | `embed/eval.rs` | nearest neighbours and a nearest-centroid test on labelled words |

pub mod corpus;
pub mod eval;
pub mod model;
pub mod ngrams;
pub mod train;

pub use corpus::Corpus;
pub use eval::{CentroidReport, Neighbours, nearest_centroid};
pub use model::{Embeddings, Found, cosine};
pub use train::{EmbedConfig, Progress, TrainStats, train};
