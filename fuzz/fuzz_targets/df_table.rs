//! Fuzzes the DF table reader: any bytes give a table or an error, never a panic; a table that
//! reads can score keyphrases.
#![no_main]

use libfuzzer_sys::fuzz_target;
use qalam_analysis::df::{DfBuilder, DfPruning, DfTable};
use qalam_analysis::words::Words;
use qalam_analysis::keyphrase::{KeyphraseExtractor, Scoring};
use std::sync::OnceLock;

const TEXT: &str = "أعلنت وزارة التعليم افتتاح المدرسة الجديدة في الرياض. وقالت وزارة التعليم إن المدرسة الجديدة تفتح أبوابها غدا.";

fn small_table() -> &'static [u8] {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(|| {
        let mut builder = DfBuilder::new();
        for text in [TEXT, "وزارة التعليم في الرياض", "المدرسة الجديدة في جدة"] {
            builder.add(&Words::new(text));
        }
        let pruning = DfPruning {
            unigrams: 1,
            bigrams: 1,
            trigrams: 1,
        };
        builder.build(pruning).0
    })
}

fuzz_target!(|data: &[u8]| {
    let bytes = qalam_fuzz::model_bytes(data, small_table());
    if let Ok(df) = DfTable::from_bytes(&bytes) {
        let words = Words::new(TEXT);
        for scoring in [Scoring::Full, Scoring::TfIdf, Scoring::TfOnly] {
            let extractor = KeyphraseExtractor {
                df,
                top: 5,
                scoring,
            };
            for k in extractor.extract(TEXT, &words) {
                assert!(k.start <= k.end && k.end <= TEXT.len());
                assert!(k.score.is_finite(), "{k:?}");
            }
        }
    }
});
