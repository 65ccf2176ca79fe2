//! Reading zip archives member by member, within the zip limits of [`Limits`].

use std::io::{Cursor, Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use zip::ZipArchive;
use zip::result::ZipError;

use crate::limits::RATIO_GRACE_BYTES;
use crate::source::{Ctx, Records, one, records};
use crate::{CorpusError, Document, Format, Limits};

/// Largest zip member read into memory (1 GiB); larger ones are reported, not read.
pub const MAX_MEMBER_BYTES: u64 = 1 << 30;
/// How deep zip archives may nest: a zip inside a zip is read, one level deeper is not.
const MAX_ZIP_DEPTH: u8 = 1;

/// Reads the records of every supported member of a zip archive, in archive order.
///
/// Directories, `__MACOSX/` and dot-files, and members of other types are skipped. Each member
/// is read into memory (at most [`MAX_MEMBER_BYTES`], and within the zip limits of the
/// context's [`Limits`]); JSON arrays are then streamed from it.
pub(crate) fn zip_records<'a, R: Read + Seek + Send + 'a>(
    mut reader: R,
    ctx: Ctx,
    depth: u8,
) -> Records<'a> {
    let len = match reader
        .seek(SeekFrom::End(0))
        .and_then(|len| reader.seek(SeekFrom::Start(0)).map(|_| len))
    {
        Ok(len) => len,
        Err(e) => return one(Err(CorpusError::Zip(ZipError::Io(e)))),
    };
    match ZipArchive::new(reader) {
        Ok(archive) => Box::new(ZipRecords {
            archive,
            used: ctx.zip_used(),
            ctx,
            depth,
            len,
            produced: 0,
            next: 0,
            current: None,
            found: false,
        }),
        Err(e) => one(Err(CorpusError::Zip(e))),
    }
}

struct ZipRecords<R> {
    archive: ZipArchive<R>,
    ctx: Ctx,
    depth: u8,
    /// The archive's length in bytes.
    len: u64,
    /// Uncompressed bytes read from this archive's members.
    produced: u64,
    /// Uncompressed bytes read from the outermost archive (nested ones included).
    used: Arc<AtomicU64>,
    next: usize,
    current: Option<(String, Records<'static>)>,
    found: bool,
}

impl<R: Read + Seek> Iterator for ZipRecords<R> {
    type Item = Result<Document, CorpusError>;

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
                return Some(Err(CorpusError::NoSupportedMembers));
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
                    if matches!(
                        err,
                        CorpusError::ZipTooLarge { .. }
                            | CorpusError::ZipRatio {
                                whole_archive: true,
                                ..
                            }
                    ) {
                        // The archive as a whole is over a limit: skip the rest of it.
                        self.next = self.archive.len();
                    }
                    return Some(Err(err.with_member(name)));
                }
            }
        }
    }
}

/// How much of a member may be read, and which limit stops it first.
#[derive(Clone, Copy, Debug)]
struct Caps {
    /// Bytes left in the zip limit (total of the outermost archive).
    total: u64,
    /// Bytes allowed by the member's ratio.
    member_ratio: u64,
    /// Bytes left by the ratio of the archive as a whole.
    archive_ratio: u64,
}

impl Caps {
    fn new(limits: &Limits, used: u64, packed: u64, archive_len: u64, produced: u64) -> Caps {
        let ratio = |packed: u64| {
            packed
                .saturating_mul(limits.max_zip_ratio)
                .max(RATIO_GRACE_BYTES)
        };
        Caps {
            total: limits.max_zip_bytes.saturating_sub(used),
            member_ratio: ratio(packed),
            archive_ratio: ratio(archive_len).saturating_sub(produced),
        }
    }

    /// The most bytes that may be read from the member.
    fn read(&self) -> u64 {
        self.total.min(self.member_ratio).min(MAX_MEMBER_BYTES)
    }

    /// The error for a member of `size` bytes, if it is over a limit.
    fn check(&self, size: u64, limits: &Limits) -> Result<(), CorpusError> {
        if size > self.total {
            return Err(CorpusError::ZipTooLarge {
                limit: limits.max_zip_bytes,
            });
        }
        if size > self.member_ratio || size > self.archive_ratio {
            return Err(CorpusError::ZipRatio {
                limit: limits.max_zip_ratio,
                whole_archive: size <= self.member_ratio,
            });
        }
        if size > MAX_MEMBER_BYTES {
            let err = ZipError::UnsupportedArchive("member larger than 1 GiB");
            return Err(CorpusError::ZipMember(err));
        }
        Ok(())
    }
}

impl<R: Read + Seek> ZipRecords<R> {
    /// Reads member `index`; `Ok(None)` for members that are skipped.
    #[allow(clippy::type_complexity)]
    fn open_member(
        &mut self,
        index: usize,
    ) -> Result<Option<(String, Records<'static>)>, (String, CorpusError)> {
        let name = self
            .archive
            .name_for_index(index)
            .map_or_else(|| format!("#{index}"), str::to_string);
        let limits = self.ctx.limits;
        let used = self.used.load(Ordering::Relaxed);
        let archive_len = self.len;
        let produced = self.produced;
        let mut file = match self.archive.by_index(index) {
            Ok(file) => file,
            Err(e) => return Err((name, CorpusError::ZipMember(e))),
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
            return Err((name, CorpusError::ZipMember(err)));
        }
        // The compressed data cannot be longer than the archive, whatever the header says.
        let packed = file.compressed_size().min(archive_len);
        let caps = Caps::new(&limits, used, packed, archive_len, produced);
        // First the sizes the headers declare, then the bytes that actually come out.
        if let Err(err) = caps.check(file.size(), &limits) {
            return Err((name, err));
        }
        let cap = caps.read();
        let mut bytes = Vec::with_capacity(file.size().min(cap).min(1 << 26) as usize);
        let read = (&mut file)
            .take(cap.saturating_add(1))
            .read_to_end(&mut bytes);
        let size = bytes.len() as u64;
        // Every byte inflated counts against the total; only accepted ones against the ratio
        // of the archive, so that one bomb does not cost the members after it.
        self.used.fetch_add(size, Ordering::Relaxed);
        if let Err(err) = caps.check(size, &limits) {
            return Err((name, err));
        }
        self.produced += size;
        if let Err(e) = read {
            return Err((name, CorpusError::ZipMember(ZipError::Io(e))));
        }
        let ctx = self.ctx.member(&name, &self.used);
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

    fn read_zip(bytes: Vec<u8>) -> Vec<Result<Document, CorpusError>> {
        read_zip_with(bytes, Limits::default())
    }

    fn read_zip_with(bytes: Vec<u8>, limits: Limits) -> Vec<Result<Document, CorpusError>> {
        zip_records(Cursor::new(bytes), Ctx::new("a.zip", limits), 0).collect()
    }

    fn shown(results: &[Result<Document, CorpusError>]) -> Vec<String> {
        results
            .iter()
            .map(|r| match r {
                Ok(d) => format!("ok {}", d.origin),
                Err(e) => format!("err {e}"),
            })
            .collect()
    }

    /// Rewrites the uncompressed size of every member, in local headers and central directory.
    fn declare_size(zip: &mut [u8], size: u32) {
        let mut i = 0;
        while i + 4 <= zip.len() {
            let at = match &zip[i..i + 4] {
                b"PK\x03\x04" => Some(i + 22),
                b"PK\x01\x02" => Some(i + 24),
                _ => None,
            };
            if let Some(at) = at {
                zip[at..at + 4].copy_from_slice(&size.to_le_bytes());
            }
            i += 1;
        }
    }

    #[test]
    fn zip_bomb_by_ratio_is_skipped_and_the_rest_read() {
        let bomb = vec![b'a'; 3 << 20]; // deflates about 1000:1
        let zip = make_zip(&[
            ("one.txt", "نص أول".as_bytes()),
            ("bomb.txt", &bomb),
            ("two.jsonl", b"{\"text\": \"x\"}\n"),
        ]);
        assert!(zip.len() < 20_000, "{}", zip.len());
        assert_eq!(
            shown(&read_zip(zip.clone())),
            [
                "ok a.zip: one.txt",
                "err bomb.txt: zip member expands more than 200:1 (a zip bomb?); skipped",
                "ok a.zip: two.jsonl: line 1",
            ]
        );
        // Headers that understate the size do not help: the bytes read are counted.
        let mut lying = zip;
        declare_size(&mut lying, 100);
        let results = read_zip(lying);
        assert_eq!(
            shown(&results)[1],
            "err bomb.txt: zip member expands more than 200:1 (a zip bomb?); skipped"
        );
        assert!(results[0].is_ok() && results[2].is_ok());
        // A higher ratio limit lets it through.
        let generous = Limits {
            max_zip_ratio: 2000,
            ..Limits::default()
        };
        let results = read_zip_with(make_zip(&[("bomb.txt", &bomb)]), generous);
        assert_eq!(results[0].as_ref().unwrap().body.len(), 3 << 20);
    }

    #[test]
    fn zip_of_many_small_bombs_is_stopped_as_a_whole() {
        let part = vec![b'a'; 1 << 20]; // each under the grace size, together far over 200:1
        let names = ["1.txt", "2.txt", "3.txt", "4.txt"];
        let members: Vec<(&str, &[u8])> = names.iter().map(|n| (*n, &part[..])).collect();
        assert_eq!(
            shown(&read_zip(make_zip(&members))),
            [
                "ok a.zip: 1.txt",
                "err 2.txt: zip archive expands more than 200:1 (a zip bomb?); the rest of the archive is skipped",
            ]
        );
    }

    #[test]
    fn zip_total_limit_counts_declared_and_actual_sizes() {
        let limits = Limits {
            max_zip_bytes: 1000,
            ..Limits::default()
        };
        let body = "ن".repeat(200); // 400 bytes
        let zip = make_zip(&[
            ("1.txt", body.as_bytes()),
            ("2.txt", body.as_bytes()),
            ("3.txt", body.as_bytes()),
            ("4.txt", body.as_bytes()),
        ]);
        let expected = [
            "ok a.zip: 1.txt",
            "ok a.zip: 2.txt",
            "err 3.txt: zip archive expands to more than 1000 bytes in total; the rest of the archive is skipped",
        ];
        assert_eq!(shown(&read_zip_with(zip.clone(), limits)), expected);
        let mut lying = zip;
        declare_size(&mut lying, 1);
        assert_eq!(shown(&read_zip_with(lying, limits)), expected);
    }

    #[test]
    fn nested_zips_share_the_total_limit() {
        let limits = Limits {
            max_zip_bytes: 1300,
            ..Limits::default()
        };
        let body = "ن".repeat(200);
        let inner = make_zip(&[("x.txt", body.as_bytes()), ("y.txt", body.as_bytes())]);
        let outer = make_zip(&[("a.txt", body.as_bytes()), ("in.zip", &inner)]);
        let results = read_zip_with(outer, limits);
        let shown = shown(&results);
        assert_eq!(shown[..2], ["ok a.zip: a.txt", "ok a.zip: in.zip/x.txt"]);
        assert!(
            shown[2].starts_with("err in.zip: y.txt: zip archive expands to more than 1300 bytes"),
            "{shown:?}"
        );
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
        assert!(matches!(err, CorpusError::Zip(_)), "{err}");
        assert!(
            err.to_string().starts_with("unreadable zip archive: "),
            "{err}"
        );
        let err = read_zip(make_zip(&[("a.csv", b"x")]))
            .pop()
            .unwrap()
            .unwrap_err();
        assert!(matches!(err, CorpusError::NoSupportedMembers), "{err}");
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
        assert!(matches!(err.kind(), CorpusError::ZipMember(_)), "{err}");
        assert!(err.to_string().starts_with("a.txt: "), "{err}");
    }
}
