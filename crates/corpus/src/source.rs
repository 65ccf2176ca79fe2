//! Formats, format sniffing, and the dispatch to the per-format record streams.

use std::io::{BufRead, Cursor};
use std::path::Path;

use crate::archive::zip_records;
use crate::{Document, Error, Origin, json};

/// A stream of per-record results.
pub(crate) type Records<'a> = Box<dyn Iterator<Item = Result<Document, Error>> + Send + 'a>;

/// The format of an input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Guess from the content: zip magic, then `[` or `{` for JSON, else plain text.
    Auto,
    /// One plain-text article.
    Text,
    /// A JSON array of records, or one record, or (if its first line is a whole record) JSONL.
    Json,
    /// One JSON record per line.
    Jsonl,
    /// A zip archive of files in the other formats.
    Zip,
}

impl Format {
    /// Returns the format for a file extension (`.txt`, `.json`, `.jsonl`, `.ndjson`, `.zip`).
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "txt" => Some(Format::Text),
            "json" => Some(Format::Json),
            "jsonl" | "ndjson" => Some(Format::Jsonl),
            "zip" => Some(Format::Zip),
            _ => None,
        }
    }

    /// Guesses the format of content from its first bytes; `None` if they are all whitespace.
    ///
    /// `brace` is the format chosen for content starting with `{`.
    fn sniff(head: &[u8], brace: Format) -> Option<Format> {
        if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
            return Some(Format::Zip);
        }
        let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
        match head.iter().find(|b| !b.is_ascii_whitespace())? {
            b'[' => Some(Format::Json),
            b'{' => Some(brace),
            _ => Some(Format::Text),
        }
    }
}

/// The file (and zip member) that records are read from.
#[derive(Clone, Debug)]
pub(crate) struct Ctx {
    path: String,
    member: Option<String>,
}

impl Ctx {
    pub(crate) fn new(path: impl Into<String>) -> Ctx {
        Ctx {
            path: path.into(),
            member: None,
        }
    }

    /// The context of a member of the zip archive this context names.
    pub(crate) fn member(&self, name: &str) -> Ctx {
        let member = match &self.member {
            Some(outer) => format!("{outer}/{name}"),
            None => name.to_string(),
        };
        Ctx {
            path: self.path.clone(),
            member: Some(member),
        }
    }

    pub(crate) fn origin(&self, line: Option<u64>, record: Option<u64>) -> Origin {
        Origin {
            path: self.path.clone(),
            member: self.member.clone(),
            line,
            record,
        }
    }
}

/// Reads records of `format` from `reader`. `brace` is what `{`-first content means for `Auto`.
pub(crate) fn records<'a, R: BufRead + Send + 'a>(
    mut reader: R,
    format: Format,
    brace: Format,
    ctx: Ctx,
    depth: u8,
) -> Records<'a> {
    let format = match format {
        Format::Auto => match reader.fill_buf() {
            Err(e) => return one(Err(e.into())),
            Ok(head) => match Format::sniff(head, brace) {
                Some(format) => format,
                None => {
                    // The buffer is all whitespace: decide on the whole content.
                    let mut all = Vec::new();
                    if let Err(e) = reader.read_to_end(&mut all) {
                        return one(Err(e.into()));
                    }
                    let format = Format::sniff(&all, brace).unwrap_or(Format::Text);
                    return records(Cursor::new(all), format, brace, ctx, depth);
                }
            },
        },
        other => other,
    };
    match format {
        Format::Auto | Format::Text => {
            let mut bytes = Vec::new();
            one(match reader.read_to_end(&mut bytes) {
                Ok(_) => text_record(bytes, &ctx),
                Err(e) => Err(e.into()),
            })
        }
        Format::Json => json::json(reader, ctx),
        Format::Jsonl => json::jsonl(reader, ctx),
        Format::Zip => {
            let mut bytes = Vec::new();
            match reader.read_to_end(&mut bytes) {
                Ok(_) => zip_records(Cursor::new(bytes), ctx, depth),
                Err(e) => one(Err(e.into())),
            }
        }
    }
}

/// Reads a stream of unknown format, such as stdin: a zip, a JSON array, JSONL (streamed line
/// by line) or one plain-text article.
pub(crate) fn stream_records<'a, R: BufRead + Send + 'a>(reader: R, ctx: Ctx) -> Records<'a> {
    records(reader, Format::Auto, Format::Jsonl, ctx, 0)
}

pub(crate) fn one<'a>(result: Result<Document, Error>) -> Records<'a> {
    Box::new(std::iter::once(result))
}

/// Makes a document of a whole plain-text file.
fn text_record(bytes: Vec<u8>, ctx: &Ctx) -> Result<Document, Error> {
    let text = String::from_utf8(bytes).map_err(|e| Error::BadUtf8 {
        offset: e.utf8_error().valid_up_to() as u64,
    })?;
    if text.trim_start_matches('\u{feff}').trim().is_empty() {
        return Err(Error::Empty);
    }
    Ok(Document::from_text(text, ctx.origin(None, None)))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::io::Write;
    use zip::write::SimpleFileOptions;

    /// Builds a zip archive in memory from (name, content) pairs.
    pub(crate) fn make_zip(members: &[(&str, &[u8])]) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, content) in members {
            if name.ends_with('/') {
                writer
                    .add_directory(*name, SimpleFileOptions::default())
                    .unwrap();
            } else {
                writer
                    .start_file(*name, SimpleFileOptions::default())
                    .unwrap();
                writer.write_all(content).unwrap();
            }
        }
        writer.finish().unwrap().into_inner()
    }

    #[test]
    fn format_from_path() {
        assert_eq!(
            Format::from_path(Path::new("a/b.JSONL")),
            Some(Format::Jsonl)
        );
        assert_eq!(
            Format::from_path(Path::new("b.ndjson")),
            Some(Format::Jsonl)
        );
        assert_eq!(Format::from_path(Path::new("b.txt")), Some(Format::Text));
        assert_eq!(Format::from_path(Path::new("b.pdf")), None);
        assert_eq!(Format::from_path(Path::new("README")), None);
    }

    #[test]
    fn sniffing() {
        assert_eq!(
            Format::sniff(b"PK\x03\x04..", Format::Json),
            Some(Format::Zip)
        );
        assert_eq!(
            Format::sniff(b"\xEF\xBB\xBF \n[", Format::Json),
            Some(Format::Json)
        );
        assert_eq!(Format::sniff(b"{", Format::Jsonl), Some(Format::Jsonl));
        assert_eq!(
            Format::sniff("بقلم".as_bytes(), Format::Json),
            Some(Format::Text)
        );
        assert_eq!(Format::sniff(b" \n", Format::Json), None);
    }

    #[test]
    fn stdin_style_sniffing() {
        let read = |bytes: &[u8]| -> Vec<_> {
            stream_records(Cursor::new(bytes.to_vec()), Ctx::new("<stdin>")).collect()
        };
        // `{`-first input is streamed line by line.
        let results = read(b"{\"text\": \"a\"}\n{\"text\": \"b\"}\n");
        let lines: Vec<_> = results
            .iter()
            .map(|r| r.as_ref().unwrap().origin.line)
            .collect();
        assert_eq!(lines, [Some(1), Some(2)]);
        let results = read("  \n\nبقلم : فلان\nنص".as_bytes());
        assert_eq!(results[0].as_ref().unwrap().author.as_deref(), Some("فلان"));
        let results = read(b"\n [{\"text\": \"a\"}]");
        assert_eq!(results[0].as_ref().unwrap().origin.record, Some(1));
    }

    #[test]
    fn text_errors() {
        let err = text_record(b"ab\xFFcd".to_vec(), &Ctx::new("t")).unwrap_err();
        assert_eq!(err.to_string(), "invalid UTF-8 at byte 2");
        let err = text_record(b" \n\t".to_vec(), &Ctx::new("t")).unwrap_err();
        assert!(matches!(err, Error::Empty));
    }
}
