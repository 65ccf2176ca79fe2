//! Reading zip archives member by member.

use std::io::{Cursor, Read, Seek};
use std::path::Path;

use zip::ZipArchive;
use zip::result::ZipError;

use crate::source::{Ctx, Records, one, records};
use crate::{Document, Error, Format};

/// Largest zip member read into memory (1 GiB); larger ones are reported, not read.
pub const MAX_MEMBER_BYTES: u64 = 1 << 30;
/// How deep zip archives may nest: a zip inside a zip is read, one level deeper is not.
const MAX_ZIP_DEPTH: u8 = 1;

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
mod tests {
    use super::*;
    use crate::source::tests::make_zip;

    fn read_zip(bytes: Vec<u8>) -> Vec<Result<Document, Error>> {
        zip_records(Cursor::new(bytes), Ctx::new("a.zip"), 0).collect()
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
}
