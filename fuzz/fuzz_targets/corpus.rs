//! Fuzzes the corpus readers (plain text, JSON, JSONL, sniffing) with small limits: no panic,
//! bounded memory, and every document within the limits.
#![no_main]

use libfuzzer_sys::fuzz_target;
use qalam_corpus::{Format, Limits, read_bytes_with};

fuzz_target!(|data: &[u8]| {
    let Some((&mode, input)) = data.split_first() else {
        return;
    };
    let format = match mode % 4 {
        0 => Format::Auto,
        1 => Format::Text,
        2 => Format::Json,
        _ => Format::Jsonl,
    };
    let limits = Limits {
        max_record_bytes: 64 + u64::from(mode / 4) * 64,
        max_zip_bytes: 1 << 20,
        max_zip_ratio: 200,
        max_id_bytes: 32,
    };
    check(input, format, limits);
});

fn check(input: &[u8], format: Format, limits: Limits) {
    for result in read_bytes_with("in", input, format, limits) {
        match result {
            Ok(doc) => {
                assert!(!doc.id.is_empty() && doc.id.len() <= limits.max_id_bytes);
                assert!(doc.body.len() as u64 <= limits.max_record_bytes);
                assert_eq!(doc.origin.path, "in");
                assert!(!doc.body.trim().is_empty() || doc.title.is_some());
            }
            Err(err) => {
                assert_eq!(err.path().and_then(|p| p.to_str()), Some("in"));
                assert!(!err.to_string().is_empty());
            }
        }
    }
}
