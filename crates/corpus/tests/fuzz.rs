//! Fuzz-style test: arbitrary and mutated bytes, in every format, never panic and keep the
//! readers' invariants (seeded, so a failure reproduces).

use std::io::{Cursor, Write};

use qalam_corpus::{CorpusError, Document, Format, read_bytes, read_inputs};

/// A small xorshift generator, so the test needs no extra crate and is reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Bytes that matter to the parsers, plus Arabic text and invalid UTF-8.
const ALPHABET: &[&[u8]] = &[
    b"[",
    b"]",
    b"{",
    b"}",
    b",",
    b":",
    b"\"",
    b"\\",
    b"\n",
    b"\r\n",
    b" ",
    b"\"content\"",
    b"\"text\"",
    b"\"id\"",
    b"\"title\"",
    b"null",
    b"1",
    b"-2.5e3",
    b"true",
    "بقلم : ".as_bytes(),
    "كتب: ".as_bytes(),
    "نص عربي".as_bytes(),
    b"\xFF",
    b"\xC3",
    b"\xEF\xBB\xBF",
    b"PK\x03\x04",
    b"\\u0627",
    b"\\ud800",
];

fn seeds() -> Vec<Vec<u8>> {
    let array = r#"[{"id": 1, "title": "عنوان", "content": "بقلم : فلان\nنص"}, {"text": "ب", "x": [1, {"y": "]"}]}]"#;
    let jsonl = "{\"content\": \"أ\", \"date\": 5}\n\n{\"body\": \"ب\\\"\", \"author\": null}\n";
    let text = "بقلم : مكرم محمد أحمد\nلا تزال داعش تطلق تهديداتها\n";
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    zip.start_file("a.json", options).unwrap();
    zip.write_all(array.as_bytes()).unwrap();
    zip.start_file("b.jsonl", options).unwrap();
    zip.write_all(jsonl.as_bytes()).unwrap();
    let zip = zip.finish().unwrap().into_inner();
    vec![array.into(), jsonl.into(), text.into(), zip]
}

fn random_input(rng: &mut Rng, seeds: &[Vec<u8>]) -> Vec<u8> {
    match rng.below(3) {
        0 => {
            let len = rng.below(64);
            (0..len)
                .flat_map(|_| ALPHABET[rng.below(ALPHABET.len())].to_vec())
                .collect()
        }
        1 => (0..rng.below(256)).map(|_| rng.next() as u8).collect(),
        _ => {
            let mut bytes = seeds[rng.below(seeds.len())].clone();
            for _ in 0..=rng.below(4) {
                if bytes.is_empty() {
                    break;
                }
                let at = rng.below(bytes.len());
                match rng.below(4) {
                    0 => bytes[at] ^= 1 << rng.below(8),
                    1 => bytes.truncate(at),
                    2 => {
                        let piece = ALPHABET[rng.below(ALPHABET.len())];
                        bytes.splice(at..at, piece.iter().copied());
                    }
                    _ => {
                        bytes.remove(at);
                    }
                }
            }
            bytes
        }
    }
}

/// Checks what every result must satisfy, whatever the input.
fn check(name: &str, input: &[u8], format: Format, results: &[Result<Document, CorpusError>]) {
    for result in results {
        match result {
            Ok(doc) => {
                assert!(!doc.id.is_empty(), "empty id from {input:?}");
                assert_eq!(doc.origin.path, name);
                if format == Format::Text {
                    assert_eq!(
                        doc.body.as_bytes(),
                        input,
                        "text body must be the input itself"
                    );
                }
                if let Some(title) = &doc.title {
                    assert!(!title.trim().is_empty());
                }
            }
            Err(err) => {
                let shown = err.to_string();
                assert!(shown.starts_with(&format!("{name}: ")), "{shown}");
                assert!(!matches!(err.kind(), CorpusError::WithPath { .. }));
            }
        }
    }
}

#[test]
fn arbitrary_bytes_never_panic() {
    let seeds = seeds();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let formats = [
        Format::Auto,
        Format::Text,
        Format::Json,
        Format::Jsonl,
        Format::Zip,
    ];
    for _ in 0..10_000 {
        let input = random_input(&mut rng, &seeds);
        for format in formats {
            let results = read_bytes("in", &input, format);
            check("in", &input, format, &results);
        }
    }
}

#[test]
fn arbitrary_files_never_panic() {
    let seeds = seeds();
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let dir = tempfile::tempdir().unwrap();
    for i in 0..300 {
        let input = random_input(&mut rng, &seeds);
        for ext in ["txt", "json", "jsonl", "ndjson", "zip"] {
            let path = dir.path().join(format!("f{i}.{ext}"));
            std::fs::write(&path, &input).unwrap();
            let name = path.to_string_lossy().into_owned();
            let format = if ext == "txt" {
                Format::Text
            } else {
                Format::Auto
            };
            let results: Vec<_> = read_inputs([&path]).collect();
            check(&name, &input, format, &results);
            assert!(
                !results.is_empty(),
                "an input gives at least one result or error"
            );
            std::fs::remove_file(&path).unwrap();
        }
    }
}

#[test]
fn valid_seeds_read_fully() {
    let seeds = seeds();
    let count = |bytes: &[u8], format| {
        read_bytes("s", bytes, format)
            .iter()
            .filter(|r| r.is_ok())
            .count()
    };
    assert_eq!(count(&seeds[0], Format::Json), 2);
    assert_eq!(count(&seeds[1], Format::Jsonl), 2);
    assert_eq!(count(&seeds[2], Format::Text), 1);
    assert_eq!(count(&seeds[3], Format::Zip), 4);
}
