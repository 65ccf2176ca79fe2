//! Fuzzes the neural NER network loader: any bytes give a network or an error, never a panic or
//! an unbounded allocation; a network that loads can tag text on top of a perceptron.
#![no_main]

use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use qalam_fuzz::{model_bytes, small_embed, small_neural, use_neural};
use qalam_tagger::embed::Embeddings;
use qalam_tagger::neural::NeuralNer;

fuzz_target!(|data: &[u8]| {
    let bytes = model_bytes(data, small_neural());
    let emb = Arc::new(Embeddings::from_bytes(small_embed()).expect("valid embeddings"));
    if let Ok(head) = NeuralNer::from_bytes(&bytes, emb) {
        use_neural(head);
    }
});
