//! Reading files, directories and stdin as one stream of per-record results.

use std::collections::VecDeque;
use std::fs::{self, File};
use std::io::{self, BufReader};
use std::path::{Path, PathBuf};

use crate::archive::zip_records;
use crate::source::{Ctx, Records, records, stream_records};
use crate::{CorpusError, Document, Format, Limits};

/// The path that stands for stdin.
pub const STDIN_PATH: &str = "-";
/// How stdin is named in origins and errors.
pub const STDIN_NAME: &str = "<stdin>";

/// Reads documents from files, directories (recursively) and stdin (`-`), one result per record.
///
/// Directories are walked in sorted order, reading files ending in `.txt`, `.json`, `.jsonl`,
/// `.ndjson` or `.zip` and skipping hidden entries and symlinked directories. A bad record
/// yields an `Err` and reading goes on with the next one; a bad file yields one `Err` and
/// reading goes on with the next file. Nothing is read until the iterator is advanced.
/// The default [`Limits`] apply; see [`read_inputs_with`].
pub fn read_inputs<I, P>(paths: I) -> Inputs
where
    I: IntoIterator<Item = P>,
    P: Into<PathBuf>,
{
    read_inputs_with(paths, Limits::default())
}

/// Same as [`read_inputs`], with the given limits on records, zip archives and ids.
pub fn read_inputs_with<I, P>(paths: I, limits: Limits) -> Inputs
where
    I: IntoIterator<Item = P>,
    P: Into<PathBuf>,
{
    Inputs {
        limits,
        pending: paths
            .into_iter()
            .map(|p| match p.into() {
                p if p.as_os_str() == STDIN_PATH => Pending::Stdin,
                p => Pending::Path(p),
            })
            .collect(),
        current: None,
    }
}

/// The iterator returned by [`read_inputs`].
pub struct Inputs {
    limits: Limits,
    pending: VecDeque<Pending>,
    current: Option<(PathBuf, Records<'static>)>,
}

enum Pending {
    /// Standard input, named `-` by the caller.
    Stdin,
    /// A file or directory, named by the caller or found while walking a directory.
    Path(PathBuf),
    /// An error met while walking a directory.
    Failed(CorpusError),
}

impl Iterator for Inputs {
    type Item = Result<Document, CorpusError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some((path, records)) = &mut self.current {
                match records.next() {
                    Some(result) => return Some(result.map_err(|e| e.with_path(path.as_path()))),
                    None => self.current = None,
                }
            }
            let path = match self.pending.pop_front()? {
                Pending::Failed(err) => return Some(Err(err)),
                Pending::Stdin => {
                    let stdin = BufReader::new(io::stdin());
                    let records = stream_records(stdin, Ctx::new(STDIN_NAME, self.limits));
                    self.current = Some((STDIN_NAME.into(), records));
                    continue;
                }
                Pending::Path(path) => path,
            };
            match self.open(&path) {
                Ok(Some(records)) => self.current = Some((path, records)),
                Ok(None) => {}
                Err(err) => return Some(Err(err.with_path(path))),
            }
        }
    }
}

impl Inputs {
    /// The files these inputs would read, in the same order, without opening them: the paths
    /// given (stdin as `-`) with directories replaced by the supported files found in them.
    /// A directory that cannot be listed gives an `Err`, and listing goes on.
    pub fn files(mut self) -> impl Iterator<Item = Result<PathBuf, CorpusError>> {
        std::iter::from_fn(move || {
            loop {
                let path = match self.pending.pop_front()? {
                    Pending::Failed(err) => return Some(Err(err)),
                    Pending::Stdin => return Some(Ok(PathBuf::from(STDIN_PATH))),
                    Pending::Path(path) => path,
                };
                if !fs::metadata(&path).is_ok_and(|m| m.is_dir()) {
                    // Reading it reports what is wrong with it, as `read_inputs` would.
                    return Some(Ok(path));
                }
                if let Err(err) = self.queue_dir(&path) {
                    return Some(Err(err.with_path(path)));
                }
            }
        })
    }

    /// Opens one path; `Ok(None)` for a directory, whose entries are queued instead.
    fn open(&mut self, path: &Path) -> Result<Option<Records<'static>>, CorpusError> {
        if fs::metadata(path)?.is_dir() {
            self.queue_dir(path)?;
            return Ok(None);
        }
        let Some(format) = Format::from_path(path) else {
            let ext = path
                .extension()
                .map_or_else(String::new, |e| e.to_string_lossy().into_owned());
            return Err(CorpusError::UnsupportedExtension { ext });
        };
        let ctx = Ctx::new(path.to_string_lossy(), self.limits);
        let file = File::open(path)?;
        Ok(Some(match format {
            Format::Zip => zip_records(BufReader::new(file), ctx, 0),
            other => records(
                BufReader::with_capacity(1 << 16, file),
                other,
                Format::Json,
                ctx,
                0,
            ),
        }))
    }

    /// Queues the supported files and subdirectories of `dir`, sorted by name, before the rest.
    fn queue_dir(&mut self, dir: &Path) -> Result<(), CorpusError> {
        let mut entries = Vec::new();
        for entry in fs::read_dir(dir)? {
            let entry = match entry {
                Ok(entry) => entry,
                Err(err) => {
                    entries.push((None, Pending::Failed(CorpusError::from(err).with_path(dir))));
                    continue;
                }
            };
            let name = entry.file_name();
            if name.to_string_lossy().starts_with('.') {
                continue;
            }
            let path = entry.path();
            let kind = match entry.file_type() {
                Ok(kind) if kind.is_symlink() => match fs::metadata(&path) {
                    Ok(meta) if meta.is_dir() => continue, // never follow directory links
                    Ok(_) => None,
                    Err(err) => Some(Err(err)),
                },
                Ok(kind) => Some(Ok(kind.is_dir())),
                Err(err) => Some(Err(err)),
            };
            let pending = match kind {
                Some(Err(err)) => Pending::Failed(CorpusError::from(err).with_path(&path)),
                Some(Ok(true)) => Pending::Path(path),
                _ if Format::from_path(&path).is_some() => Pending::Path(path),
                _ => continue,
            };
            entries.push((Some(name), pending));
        }
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        for (_, pending) in entries.into_iter().rev() {
            self.pending.push_front(pending);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn write(dir: &Path, rel: &str, content: &[u8]) -> PathBuf {
        let path = dir.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, content).unwrap();
        path
    }

    fn summary(results: Vec<Result<Document, CorpusError>>, root: &Path) -> Vec<String> {
        let root = format!("{}/", root.display());
        results
            .into_iter()
            .map(|r| match r {
                Ok(d) => format!("ok {}", d.origin).replace(&root, ""),
                Err(e) => format!("err {e}").replace(&root, ""),
            })
            .collect()
    }

    #[test]
    fn readers_can_move_across_threads() {
        fn assert_send<T: Send + 'static>() {}
        fn assert_error<T: std::error::Error + Send + Sync + 'static>() {}
        assert_send::<Inputs>();
        assert_error::<CorpusError>();
    }

    #[test]
    fn nested_dirs_in_sorted_order() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        write(root, "b/z.txt", "نص".as_bytes());
        write(
            root,
            "b/a/deep.jsonl",
            b"{\"text\": \"1\"}\n{\"text\": \"2\"}\n",
        );
        write(root, "a.json", br#"[{"text": "x"}]"#);
        write(root, "c.pdf", b"%PDF");
        write(root, ".hidden.txt", b"secret");
        write(root, "b/README", b"no extension");
        let results: Vec<_> = read_inputs([root]).collect();
        assert_eq!(
            summary(results, root),
            [
                "ok a.json: record 1 (line 1)",
                "ok b/a/deep.jsonl: line 1",
                "ok b/a/deep.jsonl: line 2",
                "ok b/z.txt",
            ]
        );
    }

    #[test]
    fn files_lists_in_reading_order() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        write(root, "b/z.txt", "نص".as_bytes());
        write(root, "b/a/deep.jsonl", b"{\"text\": \"1\"}\n");
        write(root, "a.json", br#"[{"text": "x"}]"#);
        write(root, "c.pdf", b"%PDF");
        write(root, ".hidden.txt", b"secret");
        let missing = root.join("missing.jsonl");
        let root_s = format!("{}/", root.display());
        let files: Vec<String> = read_inputs([root.to_path_buf(), missing])
            .files()
            .map(|f| f.unwrap().display().to_string().replace(&root_s, ""))
            .collect();
        assert_eq!(
            files,
            ["a.json", "b/a/deep.jsonl", "b/z.txt", "missing.jsonl"]
        );
    }

    #[test]
    fn errors_carry_paths_and_reading_goes_on() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        let bad = write(
            root,
            "x.jsonl",
            b"{\"text\": \"a\"}\n{\"title\": \"t\"}\n{\"text\": \"b\"}\n",
        );
        let empty = write(root, "empty.txt", b"");
        let pdf = write(root, "notes.pdf", b"%PDF");
        let missing = root.join("missing.txt");
        let good = write(
            root,
            "good.txt",
            "بقلم : مكرم محمد أحمد\nلا تزال داعش".as_bytes(),
        );
        let results: Vec<_> = read_inputs([&bad, &empty, &pdf, &missing, &good]).collect();
        let missing_err = results[5].as_ref().unwrap_err();
        assert!(
            matches!(missing_err.kind(), CorpusError::Io(e) if e.kind() == io::ErrorKind::NotFound),
            "{missing_err}"
        );
        assert!(!missing_err.is_record_error());
        let shown = summary(results, root);
        assert_eq!(
            shown[..5],
            [
                "ok x.jsonl: line 1",
                "err x.jsonl: line 2: record has no text field (content|body|text)",
                "ok x.jsonl: line 3",
                "err empty.txt: file is empty",
                "err notes.pdf: unsupported file extension \"pdf\" (expected .txt, .json, .jsonl, .ndjson or .zip)",
            ]
        );
        assert!(shown[5].starts_with("err missing.txt: "), "{}", shown[5]);
        assert_eq!(shown[6], "ok good.txt");
    }

    #[test]
    fn txt_with_byline() {
        let tmp = tempfile::tempdir().unwrap();
        let text = "بقلم : مكرم محمد أحمد\nلا تزال داعش تطلق تهديداتها للعالم أجمع\n";
        let path = write(tmp.path(), "seed.txt", text.as_bytes());
        let doc = read_inputs([&path]).next().unwrap().unwrap();
        assert_eq!(doc.body, text);
        assert_eq!(doc.author.as_deref(), Some("مكرم محمد أحمد"));
        assert_eq!(
            doc.title.as_deref(),
            Some("لا تزال داعش تطلق تهديداتها للعالم أجمع")
        );
        assert_eq!(doc.origin.path, path.to_string_lossy());
    }

    #[test]
    fn ids_are_stable_across_runs_and_paths() {
        let tmp = tempfile::tempdir().unwrap();
        let a = write(tmp.path(), "a/one.txt", "نص المقال".as_bytes());
        let b = write(tmp.path(), "b/copy.txt", "نص المقال".as_bytes());
        let c = write(
            tmp.path(),
            "c.jsonl",
            b"{\"text\": \"x\", \"id\": 17}\n{\"text\": \"x\"}\n",
        );
        let ids = || -> Vec<String> { read_inputs([&a, &b, &c]).map(|r| r.unwrap().id).collect() };
        let first = ids();
        assert_eq!(first, ids());
        assert_eq!(
            first[0], first[1],
            "same text at two paths must share an id"
        );
        assert_eq!(first[2], "17");
        assert_eq!(first[3].len(), 16);
    }

    #[test]
    fn zip_file_on_disk() {
        let tmp = tempfile::tempdir().unwrap();
        let zip =
            crate::source::tests::make_zip(&[("d.json", br#"[{"content": "a"}, {"content": 1}]"#)]);
        let path = write(tmp.path(), "d.zip", &zip);
        let shown = summary(read_inputs([&path]).collect(), tmp.path());
        assert_eq!(
            shown,
            [
                "ok d.zip: d.json: record 1 (line 1)",
                "err d.zip: d.json: record 2 (line 1): field `content` is a number, expected a string",
            ]
        );
    }
}
