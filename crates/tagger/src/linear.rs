//! The toolkit every model of this crate is built from, NER and PADT alike.
//!
//! | file | what |
//! |---|---|
//! | `linear/header.rs` | the header of every model file: `QLMT`, format version, kind ([`ModelKind`]) |
//! | `linear/codec.rs` | [`Writer`] / [`Reader`]: the little-endian encoding of the model files |
//! | `linear/error.rs` | [`ModelError`]: the one error of reading, checking and writing a model |
//! | `linear/keys.rs` | feature keys: a template id and its parts hashed to the integer a weight is stored under |
//! | `linear/sequence.rs` | [`SequenceModel`]: averaged structured perceptron with Viterbi decoding (NER) |
//! | `linear/classifier.rs` | [`Classifier`]: averaged multi-class perceptron, one decision at a time (PADT) |
//!
//! The embeddings of [`crate::embed`] use the same header, codec and error.
//!
//! The hashes with stored values (FNV-1a, SplitMix64) and the hasher of in-memory maps
//! (`FxHashMap`) are in [`qalam_text::hash`], shared with the rest of the workspace.

pub mod classifier;
pub mod codec;
pub mod error;
pub mod header;
pub mod keys;
pub mod sequence;

pub use classifier::{Classifier, ClassifierTrainer};
pub use codec::{Reader, Writer};
pub use error::ModelError;
pub use header::{MAGIC, ModelKind};
pub use sequence::{SequenceModel, SequenceTrainer};

/// Asks the CPU to start loading the cache line of `x` (nothing on other targets).
#[inline(always)]
pub(crate) fn prefetch<T>(x: &T) {
    // SAFETY: SSE is part of the x86_64 baseline, and a prefetch never faults.
    #[cfg(target_arch = "x86_64")]
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(
            (x as *const T).cast::<i8>(),
        );
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = x;
}
