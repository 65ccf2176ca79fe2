//! The neural NER tagger: frozen SaudiNewsNet word vectors, hashed sparse features and the
//! perceptron's own tags → residual dilated convolutions → a linear-chain CRF; trained and run
//! on the CPU with candle.
//!
//! | file | what |
//! |---|---|
//! | `neural/inputs.rs` | [`Featurizer`]: the per-token inputs (word vector, sparse feature ids) |
//! | `neural/model.rs` | [`Net`]: the network, its forward pass over packed sentences, its file |
//! | `neural/crf.rs` | [`Crf`]: likelihood gradients (forward-backward) and Viterbi |
//! | `neural/train.rs` | [`train`]: AdamW over packed batches; [`jackknife`] for stacked tags |

use std::path::Path;
use std::sync::{Arc, OnceLock};

use crate::embed::Embeddings;
use crate::linear::ModelError;
use crate::ner::{Gazetteer, Tag};

pub mod crf;
pub mod inputs;
pub mod model;
pub mod train;

pub use crf::{Crf, CrfGrads};
pub use inputs::{Featurizer, Inputs};
pub use model::{CharCnn, CharTables, Net, NetConfig};
pub use train::{EpochStats, NeuralConfig, jackknife, perceptron_digest, train};

use model::compute;
use train::Packed;

/// The shipped network (`crates/tagger/models/ner-neural.qlm`), trained by `qalam train ner`.
static EMBEDDED: &[u8] = include_bytes!("../models/ner-neural.qlm");

/// Most tokens packed into one forward pass (a longer document is cut into several).
const ROW_TOKENS: usize = 4096;

/// A trained network with the word vectors it reads. It runs inside [`crate::ner::NerTagger`] (see
/// [`crate::ner::NerTagger::with_neural`]) on the perceptron's tags and name lists.
#[derive(Clone, Debug)]
pub struct NeuralNer {
    net: Net,
    embeddings: Arc<Embeddings>,
    /// The character CNN's precomputed tables, if the network has one.
    tables: Option<CharTables>,
}

impl NeuralNer {
    /// The network embedded in the binary, with the embedded word vectors, loaded once.
    pub fn embedded() -> Arc<NeuralNer> {
        static MODEL: OnceLock<Arc<NeuralNer>> = OnceLock::new();
        MODEL
            .get_or_init(|| {
                Arc::new(
                    NeuralNer::from_bytes(EMBEDDED, Embeddings::embedded())
                        .expect("the embedded neural NER model is valid (checked by tests)"),
                )
            })
            .clone()
    }

    /// Puts a network together with its word vectors; checks that they have the size the
    /// network reads.
    pub fn new(net: Net, embeddings: Arc<Embeddings>) -> Result<NeuralNer, ModelError> {
        if net.config.dense_dim != embeddings.dim() {
            return Err(ModelError::Corrupt(
                "word vector size differs from the network's",
            ));
        }
        let tables = match &net.chars {
            Some(cnn) => Some(cnn.tables().map_err(compute)?),
            None => None,
        };
        Ok(NeuralNer {
            net,
            embeddings,
            tables,
        })
    }

    /// Reads a network file (see [`Net::from_bytes`]) and puts it together with its word vectors.
    pub fn from_bytes(bytes: &[u8], embeddings: Arc<Embeddings>) -> Result<NeuralNer, ModelError> {
        NeuralNer::new(Net::from_bytes(bytes)?, embeddings)
    }

    /// Reads a network file from disk (see [`NeuralNer::from_bytes`]).
    pub fn load(path: &Path, embeddings: Arc<Embeddings>) -> Result<NeuralNer, ModelError> {
        let bytes = std::fs::read(path).map_err(|source| ModelError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        NeuralNer::from_bytes(&bytes, embeddings)
    }

    /// Serializes the network.
    pub fn to_bytes(&self) -> Result<Vec<u8>, ModelError> {
        self.net.to_bytes()
    }

    /// True if the network reads the tags of the perceptron whose model file has `digest`
    /// (FNV-1a of its bytes), or reads no perceptron tags at all.
    pub fn matches_perceptron(&self, digest: u64) -> bool {
        !self.net.config.stacked || self.net.config.perceptron_digest == digest
    }

    /// The network.
    pub fn net(&self) -> &Net {
        &self.net
    }

    /// Tags the sentences of one document into `out` (one tag vector per sentence), given the
    /// perceptron's tags of them (`stacked`, read only if the network was trained on them) and
    /// its name lists.
    pub fn tag_document(
        &self,
        gazetteer: &Gazetteer,
        sentences: &[&[&str]],
        stacked: &[Vec<Tag>],
        out: &mut Vec<Vec<Tag>>,
    ) -> Result<(), ModelError> {
        out.resize_with(sentences.len(), Vec::new);
        let featurizer = Featurizer {
            embeddings: &self.embeddings,
            gazetteer,
            buckets: self.net.config.buckets,
        };
        let (dim, gap, l) = (featurizer.dense_dim(), self.net.gap(), Tag::COUNT);
        let mut packed = Packed::default();
        let mut ids = Vec::new();
        let mut i = 0;
        while i < sentences.len() {
            packed.begin(dim, gap);
            let first = i;
            while i < sentences.len()
                && (i == first || packed.inputs.len() + sentences[i].len() <= ROW_TOKENS)
            {
                let from = packed.inputs.len();
                let tags = self
                    .net
                    .config
                    .stacked
                    .then(|| stacked.get(i).map(Vec::as_slice))
                    .flatten();
                featurizer.push_sentence(sentences[i], tags, &mut packed.inputs);
                packed.close_sentence(from, dim, gap);
                i += 1;
            }
            let scores = self
                .net
                .scores(&packed.inputs, &packed.mask, self.tables.as_ref())
                .map_err(compute)?;
            for (s, &from) in (first..i).zip(&packed.starts) {
                let n = sentences[s].len();
                self.net
                    .crf
                    .viterbi(&scores[from * l..(from + n) * l], true, &mut ids);
                out[s].clear();
                out[s].extend(ids.iter().map(|&id| Tag::from_id(id)));
            }
        }
        Ok(())
    }
}
