//! Fuzzes the embeddings loader: any bytes give embeddings or an error, never a panic or an
//! unbounded allocation; embeddings that load give finite vectors for any word.
#![no_main]

use libfuzzer_sys::fuzz_target;
use qalam_fuzz::{model_bytes, small_embed, use_embed};
use qalam_tagger::embed::Embeddings;

fuzz_target!(|data: &[u8]| {
    let bytes = model_bytes(data, small_embed());
    if let Ok(emb) = Embeddings::from_bytes(&bytes) {
        use_embed(&emb);
    }
});
