//! Formats, and the per-format record streams behind every reader.

use std::io::{BufRead, Cursor, Read, Seek};
use std::path::Path;

use zip::ZipArchive;
use zip::result::ZipError;

use crate::{Document, Error, Origin, json};

/// A stream of per-record results.
pub(crate) type Records<'a> = Box<dyn Iterator<Item = Result<Document, Error>> + Send + 'a>;

/// Largest zip member read into memory (1 GiB); larger ones are reported, not read.
pub const MAX_MEMBER_BYTES: u64 = 1 << 30;
/// How deep zip archives may nest: a zip inside a zip is read, one level deeper is not.
const MAX_ZIP_DEPTH: u8 = 1;

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
    fn member(&self, name: &str) -> Ctx {
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

fn one<'a>(result: Result<Document, Error>) -> Records<'a> {
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

/// Reads the records of every supported member of a zip archive, in archive order.
///
/// Directories, `__MACOSX/` and dot-files, and members of other types are skipped. Each member
/// is read into memory (at most [`MAX_MEMBER_BYTES`]); JSON arrays are then streamed from it.
pub(crate) fn zip_records<'a, R: Read + Seek + Send + 'a>(
    reader: R,
    ctx: Ctx,
    depth: u8,
) -> Records<'a> {
    match ZipArchive::new(reader) {
        Ok(archive) => Box::new(ZipRecords {
            archive,
            ctx,
            depth,
            next: 0,
            current: None,
            found: false,
        }),
        Err(e) => one(Err(Error::Zip(e))),
    }
}

struct ZipRecords<R> {
    archive: ZipArchive<R>,
    ctx: Ctx,
    depth: u8,
    next: usize,
    current: Option<(String, Records<'static>)>,
    found: bool,
}

impl<R: Read + Seek> Iterator for ZipRecords<R> {
    type Item = Result<Document, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some((name, records)) = &mut self.current {
                match records.next() {
                    Some(result) => return Some(result.map_err(|e| e.with_member(name.as_str()))),
                    None => self.current = None,
                }
            }
            if self.next >= self.archive.len() {
                if self.found {
                    return None;
                }
                self.found = true;
                return Some(Err(Error::NoSupportedMembers));
            }
            let index = self.next;
            self.next += 1;
            match self.open_member(index) {
                Ok(None) => {}
                Ok(Some(current)) => {
                    self.found = true;
                    self.current = Some(current);
                }
                Err((name, err)) => {
                    self.found = true;
                    return Some(Err(err.with_member(name)));
                }
            }
        }
    }
}

impl<R: Read + Seek> ZipRecords<R> {
    /// Reads member `index`; `Ok(None)` for members that are skipped.
    #[allow(clippy::type_complexity)]
    fn open_member(
        &mut self,
        index: usize,
    ) -> Result<Option<(String, Records<'static>)>, (String, Error)> {
        let fallback = || {
            self.archive
                .name_for_index(index)
                .map_or_else(|| format!("#{index}"), str::to_string)
        };
        let name = fallback();
        let mut file = match self.archive.by_index(index) {
            Ok(file) => file,
            Err(e) => return Err((name, Error::ZipMember(e))),
        };
        let base = name.rsplit('/').next().unwrap_or("");
        if file.is_dir() || name.starts_with("__MACOSX/") || base.starts_with('.') {
            return Ok(None);
        }
        let Some(format) = Format::from_path(Path::new(&name)) else {
            return Ok(None);
        };
        if format == Format::Zip && self.depth >= MAX_ZIP_DEPTH {
            let err = ZipError::UnsupportedArchive("zip archives nested too deeply");
            return Err((name, Error::ZipMember(err)));
        }
        // The declared size may lie: preallocate at most 64 MiB.
        let mut bytes = Vec::with_capacity(file.size().min(1 << 26) as usize);
        if let Err(e) = (&mut file)
            .take(MAX_MEMBER_BYTES + 1)
            .read_to_end(&mut bytes)
        {
            return Err((name, Error::ZipMember(ZipError::Io(e))));
        }
        if bytes.len() as u64 > MAX_MEMBER_BYTES {
            let err = ZipError::UnsupportedArchive("member larger than 1 GiB");
            return Err((name, Error::ZipMember(err)));
        }
        let ctx = self.ctx.member(&name);
        let records = match format {
            Format::Zip => zip_records(Cursor::new(bytes), ctx, self.depth + 1),
            other => records(Cursor::new(bytes), other, Format::Json, ctx, self.depth),
        };
        Ok(Some((name, records)))
    }
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

    fn read_zip(bytes: Vec<u8>) -> Vec<Result<Document, Error>> {
        zip_records(Cursor::new(bytes), Ctx::new("a.zip"), 0).collect()
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
    fn zip_of_json_array() {
        let array = br#"[{"content": "a", "title": "t"}, {"content": "b"}]"#;
        let results = read_zip(make_zip(&[("2015-07-21.json", array)]));
        assert_eq!(results.len(), 2);
        let d = results[1].as_ref().unwrap();
        assert_eq!(d.body, "b");
        assert_eq!(
            d.origin.to_string(),
            "a.zip: 2015-07-21.json: record 2 (line 1)"
        );
    }

    #[test]
    fn zip_mixed_members_and_skips() {
        let zip = make_zip(&[
            ("dir/", b""),
            ("dir/a.txt", "بقلم : فلان\nنص".as_bytes()),
            ("dir/b.jsonl", b"{\"text\": \"x\"}\n{}\n"),
            ("__MACOSX/dir/._a.txt", b"junk"),
            ("notes.pdf", b"%PDF"),
            ("empty.txt", b""),
        ]);
        let results = read_zip(zip);
        let shown: Vec<String> = results
            .iter()
            .map(|r| match r {
                Ok(d) => format!("ok {} {:?}", d.origin, d.author),
                Err(e) => format!("err {e}"),
            })
            .collect();
        assert_eq!(
            shown,
            [
                "ok a.zip: dir/a.txt Some(\"فلان\")",
                "ok a.zip: dir/b.jsonl: line 1 None",
                "err dir/b.jsonl: line 2: record has no text field (content|body|text)",
                "err empty.txt: file is empty",
            ]
        );
    }

    #[test]
    fn nested_zip() {
        let inner = make_zip(&[("x.json", br#"{"text": "n"}"#)]);
        let outer = make_zip(&[("inner.zip", &inner)]);
        let results = read_zip(outer);
        let d = results[0].as_ref().unwrap();
        assert_eq!(d.origin.member.as_deref(), Some("inner.zip/x.json"));
        let deep = make_zip(&[("o.zip", &make_zip(&[("i.zip", &inner)]))]);
        let err = read_zip(deep).pop().unwrap().unwrap_err();
        assert_eq!(
            err.to_string(),
            "o.zip: i.zip: unreadable zip member: unsupported Zip archive: zip archives nested too deeply"
        );
    }

    #[test]
    fn zip_errors() {
        let err = read_zip(b"PK\x03\x04 not really".to_vec())
            .pop()
            .unwrap()
            .unwrap_err();
        assert!(matches!(err, Error::Zip(_)), "{err}");
        assert!(
            err.to_string().starts_with("unreadable zip archive: "),
            "{err}"
        );
        let err = read_zip(make_zip(&[("a.csv", b"x")]))
            .pop()
            .unwrap()
            .unwrap_err();
        assert!(matches!(err, Error::NoSupportedMembers), "{err}");
    }

    #[test]
    fn corrupt_zip_member() {
        let mut zip = make_zip(&[("a.txt", "نص عربي طويل بما يكفي ".repeat(20).as_bytes())]);
        // Flip bytes inside the compressed data (after the 30-byte local header and the name).
        for b in &mut zip[40..60] {
            *b ^= 0x5a;
        }
        let err = read_zip(zip).pop().unwrap().unwrap_err();
        eprintln!("corrupt member: {err}");
        assert!(matches!(err.kind(), Error::ZipMember(_)), "{err}");
        assert!(err.to_string().starts_with("a.txt: "), "{err}");
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
