//! Fuzzes the NER model loader: any bytes give a model or an error, never a panic or an
//! unbounded allocation; a model that loads can tag text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use qalam_fuzz::{model_bytes, small_ner, use_ner};
use qalam_tagger::ner::NerTagger;

fuzz_target!(|data: &[u8]| {
    let bytes = model_bytes(data, small_ner());
    if let Ok(tagger) = NerTagger::from_bytes(&bytes) {
        use_ner(&tagger);
    }
});
