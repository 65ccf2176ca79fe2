//! Readers that turn piles of news articles into [`Document`]s, with one result per record.
//!
//! Inputs are plain-text articles (`.txt`), JSONL (`.jsonl`, `.ndjson`), JSON arrays or single
//! objects (`.json`), zip archives of those (`.zip`, e.g. SaudiNewsNet), directories of them
//! and stdin. A bad record or file gives a [`CorpusError`] that names the file, the line or record
//! and the fault, and reading goes on with the next record:
//!
//! ```
//! use qalam_corpus::{read_str, Format};
//!
//! let body = r#"{"id": 7, "title": "داعش", "content": "بقلم : مكرم محمد أحمد\nلا تزال داعش ..."}
//! {"title": "بلا نص"}
//! "#;
//! let results = read_str("upload", body, Format::Jsonl);
//! let doc = results[0].as_ref().unwrap();
//! assert_eq!(doc.id, "7");
//! assert_eq!(doc.author.as_deref(), Some("مكرم محمد أحمد")); // from the byline
//! assert!(doc.body.starts_with("بقلم")); // the body is kept exactly
//! let err = results[1].as_ref().unwrap_err();
//! assert_eq!(err.to_string(), "upload: line 2: record has no text field (content|body|text)");
//! ```
//!
//! Files and directories are read lazily with [`read_inputs`]:
//!
//! ```no_run
//! for result in qalam_corpus::read_inputs(["../shared/data/saudinewsnet"]) {
//!     match result {
//!         Ok(doc) => println!("{} {}", doc.id, doc.title.unwrap_or_default()),
//!         Err(err) => eprintln!("qalam: {err}"),
//!     }
//! }
//! ```
//!
//! ## Limits
//!
//! Every reader works within [`Limits`], so that a hostile or broken input costs bounded
//! memory and time. Each breach is one error naming the file, zip member and record, and
//! reading goes on with the next record (or, for the zip totals, the next file):
//!
//! | what | default | field | `qalam index` flag |
//! |---|---|---|---|
//! | size of one record (JSONL line, array element, `.json` object, `.txt` file) | 16 MiB | `max_record_bytes` | `--max-record-mb` |
//! | uncompressed bytes of one zip archive, nested archives included | 4 GiB | `max_zip_bytes` | `--max-zip-gb` |
//! | compression ratio of a zip member, and of a whole archive | 200:1 | `max_zip_ratio` | `--max-zip-ratio` |
//! | length of a document id | 512 bytes ([`MAX_ID_BYTES`], also the ceiling) | `max_id_bytes` | `--max-id-bytes` |
//!
//! Oversize records are skipped without being held in memory. Zip members are checked twice:
//! by the sizes their headers declare before reading, and by the bytes that actually come out
//! while reading, since headers can lie. The ratio is checked once more than
//! [`RATIO_GRACE_BYTES`] came out of a member or archive. [`read_inputs`] and [`read_bytes`]
//! use the defaults (the server's uploads go through `read_bytes`); [`read_inputs_with`] and
//! [`read_bytes_with`] take others:
//!
//! ```
//! use qalam_corpus::{read_str_with, Format, Limits};
//!
//! let limits = Limits { max_record_bytes: 20, ..Limits::default() };
//! let body = "{\"text\": \"short\"}\n{\"text\": \"a record that is far too long\"}\n";
//! let results = read_str_with("upload", body, Format::Jsonl, limits);
//! assert!(results[0].is_ok());
//! assert_eq!(
//!     results[1].as_ref().unwrap_err().to_string(),
//!     "upload: line 2: record is over the size limit of 20 bytes"
//! );
//! ```
#![deny(missing_docs)]

mod archive;
mod array;
pub mod byline;
mod document;
mod error;
mod inputs;
mod json;
mod limits;
mod source;

use std::io::Cursor;

pub use archive::MAX_MEMBER_BYTES;
pub use document::{DATE_FIELDS, Document, Origin, TEXT_FIELDS, content_id};
pub use error::CorpusError;
pub use inputs::{Inputs, STDIN_NAME, STDIN_PATH, read_inputs, read_inputs_with};
pub use limits::{Limits, MAX_ID_BYTES, RATIO_GRACE_BYTES};
pub use source::Format;

use archive::zip_records;
use source::{Ctx, records};

/// Reads documents from an in-memory input such as an HTTP request body.
///
/// `name` labels the input in origins and errors (errors are not wrapped when it is empty).
/// `Format::Auto` sniffs zip, JSON (array, object or JSONL) or plain text. The default
/// [`Limits`] apply; see [`read_bytes_with`].
pub fn read_bytes(name: &str, bytes: &[u8], format: Format) -> Vec<Result<Document, CorpusError>> {
    read_bytes_with(name, bytes, format, Limits::default())
}

/// Same as [`read_bytes`], with the given limits on records, zip archives and ids.
pub fn read_bytes_with(
    name: &str,
    bytes: &[u8],
    format: Format,
    limits: Limits,
) -> Vec<Result<Document, CorpusError>> {
    let ctx = Ctx::new(name, limits);
    let results = match format {
        Format::Zip => zip_records(Cursor::new(bytes), ctx, 0),
        other => records(Cursor::new(bytes), other, Format::Json, ctx, 0),
    };
    results
        .map(|r| {
            r.map_err(|e| {
                if name.is_empty() {
                    e
                } else {
                    e.with_path(name)
                }
            })
        })
        .collect()
}

/// Reads documents from a string (a JSON array, JSON object, JSONL or one plain-text article).
///
/// Same as [`read_bytes`] on the string's bytes.
pub fn read_str(name: &str, text: &str, format: Format) -> Vec<Result<Document, CorpusError>> {
    read_bytes(name, text.as_bytes(), format)
}

/// Same as [`read_str`], with the given limits on records, zip archives and ids.
pub fn read_str_with(
    name: &str,
    text: &str,
    format: Format,
    limits: Limits,
) -> Vec<Result<Document, CorpusError>> {
    read_bytes_with(name, text.as_bytes(), format, limits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_str_formats() {
        let array = r#"[{"content": "a"}, {"body": "b", "id": 2}]"#;
        let ids: Vec<String> = read_str("x", array, Format::Auto)
            .into_iter()
            .map(|r| r.unwrap().id)
            .collect();
        assert_eq!(ids[1], "2");
        assert_eq!(ids.len(), 2);
        let text = read_str("x", "كتب : فلان\nعنوان\nنص", Format::Auto);
        let doc = text[0].as_ref().unwrap();
        assert_eq!(
            (doc.author.as_deref(), doc.title.as_deref()),
            (Some("فلان"), Some("عنوان"))
        );
        let as_text = read_str("x", array, Format::Text);
        assert_eq!(as_text[0].as_ref().unwrap().body, array);
    }

    #[test]
    fn read_bytes_bad_utf8_and_unnamed() {
        let results = read_bytes("", b"\xFF\xFE", Format::Text);
        assert_eq!(
            results[0].as_ref().unwrap_err().to_string(),
            "invalid UTF-8 at byte 0"
        );
        let results = read_bytes("body", b"", Format::Auto);
        assert_eq!(
            results[0].as_ref().unwrap_err().to_string(),
            "body: file is empty"
        );
    }

    fn shown(results: &[Result<Document, CorpusError>]) -> Vec<String> {
        results
            .iter()
            .map(|r| match r {
                Ok(d) => format!("ok {} {}", d.origin, d.body),
                Err(e) => format!("err {e}"),
            })
            .collect()
    }

    fn small(max_record_bytes: u64) -> Limits {
        Limits {
            max_record_bytes,
            ..Limits::default()
        }
    }

    #[test]
    fn oversize_records_are_skipped_and_the_rest_read() {
        let big = "ب".repeat(30);
        let limits = small(40);
        let jsonl =
            format!("{{\"text\": \"a\"}}\n{{\"text\": \"{big}\"}}\n\n{{\"text\": \"c\"}}\n");
        let expected = [
            "ok f: line 1 a",
            "err f: line 2: record is over the size limit of 40 bytes",
            "ok f: line 4 c",
        ];
        assert_eq!(
            shown(&read_str_with("f", &jsonl, Format::Jsonl, limits)),
            expected
        );
        // A `.json` file holding JSONL, and stdin-style sniffing, give the same.
        assert_eq!(
            shown(&read_str_with("f", &jsonl, Format::Json, limits)),
            expected
        );
        assert_eq!(
            shown(&read_str_with("f", &jsonl, Format::Auto, limits)),
            expected
        );
        // The first line over the limit, JSONL following.
        let first_big = format!("{{\"text\": \"{big}\"}}\n{{\"text\": \"c\"}}");
        assert_eq!(
            shown(&read_str_with("f", &first_big, Format::Json, limits)),
            [
                "err f: line 1: record is over the size limit of 40 bytes",
                "ok f: line 2 c"
            ]
        );
        let array =
            format!("[{{\"text\": \"a\"}},\n {{\"text\": \"{big}\"}}, {{\"text\": \"c\"}}]");
        assert_eq!(
            shown(&read_str_with("f", &array, Format::Json, limits)),
            [
                "ok f: record 1 (line 1) a",
                "err f: record 2 (line 2): record is over the size limit of 40 bytes",
                "ok f: record 3 (line 2) c",
            ]
        );
        // One object, on one line or several.
        for object in [
            format!("{{\"text\": \"{big}\"}}"),
            format!("{{\n\"text\":\n\"{big}\"}}\n"),
        ] {
            assert_eq!(
                shown(&read_str_with("f", &object, Format::Json, limits)),
                ["err f: record is over the size limit of 40 bytes"]
            );
            assert_eq!(
                shown(&read_str_with("f", &object, Format::Json, small(100))).len(),
                1
            );
            assert!(read_str_with("f", &object, Format::Json, small(100))[0].is_ok());
        }
        assert_eq!(
            shown(&read_str_with("f", &big, Format::Text, limits)),
            ["err f: record is over the size limit of 40 bytes"]
        );
        assert!(read_str_with("f", &big, Format::Text, small(60))[0].is_ok());
        // Whitespace before the content counts for plain text and is bounded while sniffing.
        let spaced = format!("{}{big}", " ".repeat(100));
        assert_eq!(
            shown(&read_str_with("f", &spaced, Format::Auto, limits)),
            ["err f: record is over the size limit of 40 bytes"]
        );
    }

    #[test]
    fn record_limit_is_exact() {
        let line = r#"{"text": "abc"}"#; // 15 bytes
        for (text, limit, ok) in [
            (format!("{line}\n"), 15, true),
            (format!("{line}\r\n"), 15, false),
            (line.to_string(), 15, true),
            (line.to_string(), 14, false),
            (format!("{line}\n"), 14, false),
        ] {
            let results = read_str_with("f", &text, Format::Jsonl, small(limit));
            assert_eq!(results.len(), 1);
            assert_eq!(results[0].is_ok(), ok, "{text:?} {limit}");
            let array = format!("[{}]", text.trim_end());
            let results = read_str_with("f", &array, Format::Json, small(limit));
            assert_eq!(results[0].is_ok(), limit >= 15, "{array:?} {limit}");
        }
    }

    #[test]
    fn long_ids_are_rejected() {
        let long = "x".repeat(513);
        let body = format!(
            "{{\"id\": \"{}\", \"text\": \"a\"}}\n{{\"id\": \"{long}\", \"text\": \"b\"}}\n",
            "x".repeat(512)
        );
        assert_eq!(
            shown(&read_str("f", &body, Format::Jsonl))[1],
            "err f: line 2: id is 513 bytes, over the limit of 512"
        );
        assert!(read_str("f", &body, Format::Jsonl)[0].is_ok());
        let strict = Limits {
            max_id_bytes: 8,
            ..Limits::default()
        };
        let array = r#"[{"id": 123456789, "text": "a"}, {"id": 1, "text": "b"}]"#;
        assert_eq!(
            shown(&read_str_with("f", array, Format::Json, strict)),
            [
                "err f: record 1 (line 1): id is 9 bytes, over the limit of 8",
                "ok f: record 2 (line 1) b"
            ]
        );
    }

    #[test]
    fn zip_streams_are_bounded() {
        let zip = source::tests::make_zip(&[("a.txt", &[b'a'; 5000])]);
        let limits = Limits {
            max_zip_bytes: 1000,
            ..Limits::default()
        };
        // Stdin-style input is read into memory only up to the zip limit.
        let results = read_bytes_with("z", &zip, Format::Auto, limits);
        assert_eq!(
            shown(&results),
            [
                "err z: a.txt: zip archive expands to more than 1000 bytes in total; the rest of the archive is skipped"
            ]
        );
        let tiny = Limits {
            max_zip_bytes: 10,
            ..Limits::default()
        };
        let results = read_bytes_with("z", &zip, Format::Auto, tiny);
        assert_eq!(
            shown(&results),
            [
                "err z: zip archive expands to more than 10 bytes in total; the rest of the archive is skipped"
            ]
        );
    }

    #[test]
    fn read_bytes_zip() {
        let zip = source::tests::make_zip(&[("a.jsonl", b"{\"text\": \"z\"}\n")]);
        for format in [Format::Zip, Format::Auto] {
            let results = read_bytes("up.zip", &zip, format);
            assert_eq!(results[0].as_ref().unwrap().body, "z");
        }
    }
}
