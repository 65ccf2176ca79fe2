//! Formats, format sniffing, and the dispatch to the per-format record streams.

use std::io::{BufRead, Cursor, Read};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use crate::archive::zip_records;
use crate::{CorpusError, Document, Limits, Origin, json};

/// A stream of per-record results.
pub(crate) type Records<'a> = Box<dyn Iterator<Item = Result<Document, CorpusError>> + Send + 'a>;

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

/// The file (and zip member) that records are read from, and the limits in force.
#[derive(Clone, Debug)]
pub(crate) struct Ctx {
    path: String,
    member: Option<String>,
    pub(crate) limits: Limits,
    /// Uncompressed bytes read so far from the outermost zip archive (shared with nested ones).
    zip_used: Option<Arc<AtomicU64>>,
}

impl Ctx {
    pub(crate) fn new(path: impl Into<String>, limits: Limits) -> Ctx {
        Ctx {
            path: path.into(),
            member: None,
            limits,
            zip_used: None,
        }
    }

    /// The context of a member of the zip archive this context names.
    pub(crate) fn member(&self, name: &str, zip_used: &Arc<AtomicU64>) -> Ctx {
        let member = match &self.member {
            Some(outer) => format!("{outer}/{name}"),
            None => name.to_string(),
        };
        Ctx {
            path: self.path.clone(),
            member: Some(member),
            limits: self.limits,
            zip_used: Some(Arc::clone(zip_used)),
        }
    }

    /// The counter of uncompressed zip bytes: the enclosing archive's, or a new one.
    pub(crate) fn zip_used(&self) -> Arc<AtomicU64> {
        self.zip_used.clone().unwrap_or_default()
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
    if format != Format::Auto {
        return dispatch(reader, format, ctx, depth);
    }
    match reader.fill_buf() {
        Err(e) => one(Err(e.into())),
        Ok(head) => match Format::sniff(head, brace) {
            Some(format) => dispatch(reader, format, ctx, depth),
            None => {
                // The buffer is all whitespace: look further, keeping at most a record's worth.
                let mut head = Vec::new();
                let limit = ctx.limits.max_record_bytes;
                if let Err(e) = (&mut reader)
                    .take(limit.saturating_add(1))
                    .read_to_end(&mut head)
                {
                    return one(Err(e.into()));
                }
                let format = match Format::sniff(&head, brace) {
                    Some(format) => format,
                    None if head.len() as u64 > limit => {
                        return one(Err(CorpusError::RecordTooLarge { limit }));
                    }
                    None => Format::Text,
                };
                dispatch(Cursor::new(head).chain(reader), format, ctx, depth)
            }
        },
    }
}

/// Reads records of a known `format` (not `Auto`) from `reader`.
fn dispatch<'a, R: BufRead + Send + 'a>(
    mut reader: R,
    format: Format,
    ctx: Ctx,
    depth: u8,
) -> Records<'a> {
    match format {
        Format::Auto | Format::Text => one(text_record(&mut reader, &ctx)),
        Format::Json => json::json(reader, ctx),
        Format::Jsonl => json::jsonl(reader, ctx),
        Format::Zip => {
            // A stream cannot be seeked: read the archive into memory, up to the zip limit.
            let limit = ctx.limits.max_zip_bytes;
            let mut bytes = Vec::new();
            match reader.take(limit.saturating_add(1)).read_to_end(&mut bytes) {
                Ok(_) if bytes.len() as u64 > limit => one(Err(CorpusError::ZipTooLarge { limit })),
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

pub(crate) fn one<'a>(result: Result<Document, CorpusError>) -> Records<'a> {
    Box::new(std::iter::once(result))
}

/// Makes a document of a whole plain-text file, unless it is over the record limit.
fn text_record<R: Read>(reader: R, ctx: &Ctx) -> Result<Document, CorpusError> {
    let limit = ctx.limits.max_record_bytes;
    let mut bytes = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(CorpusError::RecordTooLarge { limit });
    }
    let text = String::from_utf8(bytes).map_err(|e| CorpusError::BadUtf8 {
        offset: e.utf8_error().valid_up_to() as u64,
    })?;
    if text.trim_start_matches('\u{feff}').trim().is_empty() {
        return Err(CorpusError::Empty);
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
            stream_records(
                Cursor::new(bytes.to_vec()),
                Ctx::new("<stdin>", Limits::default()),
            )
            .collect()
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
        let ctx = Ctx::new("t", Limits::default());
        let err = text_record(&b"ab\xFFcd"[..], &ctx).unwrap_err();
        assert_eq!(err.to_string(), "invalid UTF-8 at byte 2");
        let err = text_record(&b" \n\t"[..], &ctx).unwrap_err();
        assert!(matches!(err, CorpusError::Empty));
    }
}
