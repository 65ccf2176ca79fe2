//! Fuzzes the zip reader with small limits: raw archives, and archives built from the input's
//! members (nested, stored or deflated), so the fuzzer reaches the member logic. No panic,
//! bounded memory and time, and every document within the limits.
#![no_main]

use std::io::{Cursor, Write};

use libfuzzer_sys::fuzz_target;
use qalam_corpus::{Format, Limits, read_bytes_with};
use zip::CompressionMethod;
use zip::write::SimpleFileOptions;

const NAMES: [&str; 8] = [
    "a.txt", "b.json", "c.jsonl", "d.ndjson", "in.zip", "dir/", ".hidden.txt", "x.pdf",
];

/// Builds a zip from `input`: members separated by 0xFF; each starts with a byte that picks
/// its name and compression.
fn build(input: &[u8], depth: u8) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for part in input.split(|&b| b == 0xFF).take(16) {
        let Some((&head, content)) = part.split_first() else {
            continue;
        };
        let name = NAMES[usize::from(head) % NAMES.len()];
        let method = if head & 0x80 != 0 {
            CompressionMethod::Stored
        } else {
            CompressionMethod::Deflated
        };
        let options = SimpleFileOptions::default().compression_method(method);
        if name.ends_with('/') {
            let _ = writer.add_directory(name, options);
            continue;
        }
        if writer.start_file(name, options).is_err() {
            continue;
        }
        let bytes = if name == "in.zip" && depth == 0 {
            build(&content.iter().map(|b| b ^ 0x55).collect::<Vec<_>>(), 1)
        } else {
            content.to_vec()
        };
        let _ = writer.write_all(&bytes);
    }
    writer
        .finish()
        .map(Cursor::into_inner)
        .unwrap_or_default()
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, input)) = data.split_first() else {
        return;
    };
    let bytes = if mode % 2 == 0 {
        input.to_vec()
    } else {
        build(input, 0)
    };
    let limits = Limits {
        max_record_bytes: 256,
        max_zip_bytes: 4096 << (mode % 4),
        max_zip_ratio: 20,
        max_id_bytes: 32,
    };
    let format = if mode & 4 == 0 { Format::Zip } else { Format::Auto };
    for result in read_bytes_with("in.zip", &bytes, format, limits) {
        match result {
            Ok(doc) => {
                assert!(!doc.id.is_empty() && doc.id.len() <= limits.max_id_bytes);
                assert!(doc.body.len() as u64 <= limits.max_record_bytes);
            }
            Err(err) => assert!(!err.to_string().is_empty()),
        }
    }
});
