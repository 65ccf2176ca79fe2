//! Readers that turn piles of news articles into [`Document`]s, with one result per record.
//!
//! Inputs are plain-text articles (`.txt`), JSONL (`.jsonl`, `.ndjson`), JSON arrays or single
//! objects (`.json`), zip archives of those (`.zip`, e.g. SaudiNewsNet), directories of them
//! and stdin. A bad record or file gives an [`Error`] that names the file, the line or record
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
#![deny(missing_docs)]

mod archive;
mod array;
pub mod byline;
mod document;
mod error;
mod inputs;
mod json;
mod source;

use std::io::Cursor;

pub use archive::MAX_MEMBER_BYTES;
pub use document::{DATE_FIELDS, Document, Origin, TEXT_FIELDS, content_id};
pub use error::Error;
pub use inputs::{Inputs, STDIN_NAME, STDIN_PATH, read_inputs};
pub use source::Format;

use archive::zip_records;
use source::{Ctx, records};

/// Reads documents from an in-memory input such as an HTTP request body.
///
/// `name` labels the input in origins and errors (errors are not wrapped when it is empty).
/// `Format::Auto` sniffs zip, JSON (array, object or JSONL) or plain text.
pub fn read_bytes(name: &str, bytes: &[u8], format: Format) -> Vec<Result<Document, Error>> {
    let ctx = Ctx::new(name);
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
pub fn read_str(name: &str, text: &str, format: Format) -> Vec<Result<Document, Error>> {
    read_bytes(name, text.as_bytes(), format)
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

    #[test]
    fn read_bytes_zip() {
        let zip = source::tests::make_zip(&[("a.jsonl", b"{\"text\": \"z\"}\n")]);
        for format in [Format::Zip, Format::Auto] {
            let results = read_bytes("up.zip", &zip, format);
            assert_eq!(results[0].as_ref().unwrap().body, "z");
        }
    }
}
