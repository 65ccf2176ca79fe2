//! [`QalamIndex`]: an on-disk (or in-memory) tantivy index with its analyzer settings.

use std::fs;
use std::path::{Path, PathBuf};

use qalam_corpus::{Document, Origin};
use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, TopDocs};
use tantivy::directory::MmapDirectory;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::tokenizer::TokenizerManager;
use tantivy::{Index, IndexReader, ReloadPolicy, Searcher, TantivyDocument, Term};

use crate::IndexError;
use crate::analyzer::AnalyzerSettings;
use crate::limits::QueryLimits;
use crate::schema::Fields;
use crate::search::Boosts;

/// Name of the settings file in an index directory.
pub const SETTINGS_FILE: &str = "qalam.json";
/// Version of the index layout (schema and settings) this build writes and reads.
pub const FORMAT_VERSION: u32 = 3;

/// What `qalam.json` holds: the layout version and the analysis the index was built with.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IndexSettings {
    /// Layout version ([`FORMAT_VERSION`]).
    pub format: u32,
    /// The qalam version that created the index.
    pub created_by: String,
    /// The analysis of the text fields; search always uses it.
    pub analyzer: AnalyzerSettings,
}

impl IndexSettings {
    /// Settings for a new index with `analyzer`.
    pub fn new(analyzer: AnalyzerSettings) -> IndexSettings {
        IndexSettings {
            format: FORMAT_VERSION,
            created_by: format!("qalam {}", env!("CARGO_PKG_VERSION")),
            analyzer,
        }
    }
}

/// A qalam search index: tantivy index, schema handles, analyzer settings and a reader.
pub struct QalamIndex {
    pub(crate) index: Index,
    pub(crate) reader: IndexReader,
    pub(crate) fields: Fields,
    pub(crate) settings: IndexSettings,
    pub(crate) boosts: Boosts,
    pub(crate) limits: QueryLimits,
    dir: Option<PathBuf>,
    /// The on-disk directory, kept to prune its cache of memory maps (see [`QalamIndex::reload`]).
    mmap: Option<MmapDirectory>,
}

impl std::fmt::Debug for QalamIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("QalamIndex")
            .field("dir", &self.dir)
            .field("settings", &self.settings)
            .finish()
    }
}

fn write_settings(dir: &Path, settings: &IndexSettings) -> Result<(), IndexError> {
    let mut json = serde_json::to_string_pretty(settings)?;
    json.push('\n');
    write_durably(&dir.join(SETTINGS_FILE), json.as_bytes())?;
    Ok(())
}

/// Writes a file so that after a crash or power loss it holds either its old or its new
/// content: a temporary file beside it is written and fsynced, renamed over it, and the
/// directory is fsynced so that the rename itself is on disk.
pub fn write_durably(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let name = path.file_name().ok_or_else(|| {
        std::io::Error::new(std::io::ErrorKind::InvalidInput, "path has no file name")
    })?;
    let mut tmp_name = name.to_os_string();
    tmp_name.push(".tmp");
    let tmp = dir.join(tmp_name);
    let written = (|| {
        let mut file = fs::File::create(&tmp)?;
        std::io::Write::write_all(&mut file, bytes)?;
        file.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(e);
    }
    sync_dir(dir)
}

/// Flushes a directory's entries (new and renamed files) to disk.
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        fs::File::open(dir)?.sync_all()?;
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

fn read_settings(dir: &Path) -> Result<Option<IndexSettings>, IndexError> {
    let path = dir.join(SETTINGS_FILE);
    let text = match fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let value: serde_json::Value = serde_json::from_str(&text)?;
    let format = value.get("format").and_then(serde_json::Value::as_u64);
    if format != Some(u64::from(FORMAT_VERSION)) {
        return Err(IndexError::Format {
            found: format.unwrap_or(0) as u32,
            expected: FORMAT_VERSION,
        });
    }
    Ok(Some(serde_json::from_value(value)?))
}

impl QalamIndex {
    fn from_index(
        index: Index,
        settings: IndexSettings,
        on_disk: Option<(PathBuf, MmapDirectory)>,
    ) -> Result<QalamIndex, IndexError> {
        let (dir, mmap) = on_disk.unzip();
        settings.analyzer.register(index.tokenizers())?;
        let fields = Fields::from_schema(&index.schema()).ok_or(IndexError::Format {
            found: 0,
            expected: FORMAT_VERSION,
        })?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()?;
        Ok(QalamIndex {
            index,
            reader,
            fields,
            settings,
            boosts: Boosts::default(),
            limits: QueryLimits::default(),
            dir,
            mmap,
        })
    }

    fn tokenizers(analyzer: &AnalyzerSettings) -> Result<TokenizerManager, IndexError> {
        let manager = TokenizerManager::default();
        analyzer.register(&manager)?;
        Ok(manager)
    }

    /// Opens the index in `dir`, registering the analyzers its `qalam.json` names.
    pub fn open(dir: impl AsRef<Path>) -> Result<QalamIndex, IndexError> {
        let dir = dir.as_ref();
        Self::open_inner(dir).map_err(|e| e.with_path(dir))
    }

    fn open_inner(dir: &Path) -> Result<QalamIndex, IndexError> {
        if !dir.is_dir() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "no such index directory",
            )
            .into());
        }
        let settings = read_settings(dir)?.ok_or(IndexError::NotAnIndex)?;
        if !dir.join("meta.json").exists() {
            // A crash between writing qalam.json and creating the tantivy index.
            return Self::create_tantivy(dir, settings);
        }
        let mmap = MmapDirectory::open(dir).map_err(tantivy::TantivyError::from)?;
        let index = Index::open(mmap.clone())?;
        Self::from_index(index, settings, Some((dir.to_path_buf(), mmap)))
    }

    fn create_tantivy(dir: &Path, settings: IndexSettings) -> Result<QalamIndex, IndexError> {
        let (schema, _) = Fields::build();
        let mmap = MmapDirectory::open(dir).map_err(tantivy::TantivyError::from)?;
        // The callers made sure that no tantivy index is there yet: this creates one.
        let index = Index::builder()
            .schema(schema)
            .tokenizers(Self::tokenizers(&settings.analyzer)?)
            .open_or_create(mmap.clone())?;
        Self::from_index(index, settings, Some((dir.to_path_buf(), mmap)))
    }

    /// Creates a new, empty index in `dir` (created if missing; it must be empty).
    pub fn create(
        dir: impl AsRef<Path>,
        analyzer: AnalyzerSettings,
    ) -> Result<QalamIndex, IndexError> {
        let dir = dir.as_ref();
        (|| {
            analyzer.build()?;
            fs::create_dir_all(dir)?;
            if fs::read_dir(dir)?.next().is_some() {
                return Err(IndexError::NotEmpty);
            }
            let settings = IndexSettings::new(analyzer);
            write_settings(dir, &settings)?;
            Self::create_tantivy(dir, settings)
        })()
        .map_err(|e| e.with_path(dir))
    }

    /// Opens the index in `dir`, or creates it with `analyzer` when `dir` is missing or empty.
    /// Returns the index and whether it was created.
    pub fn open_or_create(
        dir: impl AsRef<Path>,
        analyzer: AnalyzerSettings,
    ) -> Result<(QalamIndex, bool), IndexError> {
        let dir = dir.as_ref();
        let empty = !dir.exists()
            || fs::read_dir(dir)
                .map_err(|e| IndexError::from(e).with_path(dir))?
                .next()
                .is_none();
        if empty {
            Ok((Self::create(dir, analyzer)?, true))
        } else {
            Ok((Self::open(dir)?, false))
        }
    }

    /// Creates an index in memory (for tests and evaluations).
    pub fn create_in_ram(analyzer: AnalyzerSettings) -> Result<QalamIndex, IndexError> {
        let (schema, _) = Fields::build();
        let settings = IndexSettings::new(analyzer);
        let index = Index::builder()
            .schema(schema)
            .tokenizers(Self::tokenizers(&settings.analyzer)?)
            .create_in_ram()?;
        Self::from_index(index, settings, None)
    }

    /// The settings the index was built with.
    pub fn settings(&self) -> &IndexSettings {
        &self.settings
    }

    /// The directory of the index (`None` in memory).
    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    /// The field handles.
    pub fn fields(&self) -> &Fields {
        &self.fields
    }

    /// The underlying tantivy index.
    pub fn tantivy(&self) -> &Index {
        &self.index
    }

    /// Field weights used by search.
    pub fn boosts(&self) -> &Boosts {
        &self.boosts
    }

    /// Replaces the field weights used by search.
    pub fn set_boosts(&mut self, boosts: Boosts) {
        self.boosts = boosts;
    }

    /// Bounds on user queries (every search, story and entity request is checked against them).
    pub fn query_limits(&self) -> &QueryLimits {
        &self.limits
    }

    /// Replaces the bounds on user queries.
    pub fn set_query_limits(&mut self, limits: QueryLimits) {
        self.limits = limits;
    }

    /// A searcher over the last commit the reader has loaded.
    pub fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    /// Makes the last commit visible to searches now (otherwise within about a second).
    ///
    /// It also prunes the directory's cache of memory maps: tantivy keeps an entry (path and
    /// weak handle) for every file it ever opened, including the files of segments merged away
    /// and of superseded delete sets, so a long-running writer would grow it by a few hundred
    /// bytes per file without end.
    pub fn reload(&self) -> Result<(), IndexError> {
        self.reader.reload()?;
        if let Some(mmap) = &self.mmap {
            // Drops the entries whose maps are no longer in use (it also returns statistics).
            mmap.get_cache_info();
        }
        Ok(())
    }

    /// Files the directory's cache of memory maps holds entries for (0 in memory).
    pub fn mapped_files(&self) -> usize {
        self.mmap
            .as_ref()
            .map_or(0, |m| m.get_cache_info().mmapped.len())
    }

    /// Number of documents searchable now.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// The term of an id.
    pub(crate) fn id_term(&self, id: &str) -> Term {
        Term::from_field_text(self.fields.id, id)
    }

    /// True when a live document has this id in the searcher's view.
    pub(crate) fn id_exists(&self, searcher: &Searcher, id: &str) -> Result<bool, IndexError> {
        let query = TermQuery::new(self.id_term(id), IndexRecordOption::Basic);
        Ok(searcher.search(&query, &Count)? > 0)
    }

    /// Deletes the documents with these ids and commits; returns how many of the ids existed.
    pub fn delete<S: AsRef<str>>(&self, ids: &[S]) -> Result<u64, IndexError> {
        self.reload()?;
        let searcher = self.searcher();
        let mut writer: tantivy::IndexWriter<TantivyDocument> =
            self.index.writer_with_num_threads(1, 15_000_000)?;
        let mut found = 0;
        for id in ids {
            let id = id.as_ref();
            if self.id_exists(&searcher, id)? {
                found += 1;
            }
            writer.delete_term(self.id_term(id));
        }
        writer.commit()?;
        writer.wait_merging_threads()?;
        self.reload()?;
        Ok(found)
    }

    /// The stored document with this id, if any.
    pub fn get(&self, id: &str) -> Result<Option<Document>, IndexError> {
        let searcher = self.searcher();
        let query = TermQuery::new(self.id_term(id), IndexRecordOption::Basic);
        let top = searcher.search(&query, &TopDocs::with_limit(1))?;
        match top.first() {
            None => Ok(None),
            Some((_, address)) => {
                let doc: TantivyDocument = searcher.doc(*address)?;
                Ok(Some(self.stored_document(&doc)))
            }
        }
    }

    /// Rebuilds a [`Document`] from its stored fields.
    pub(crate) fn stored_document(&self, doc: &TantivyDocument) -> Document {
        let f = &self.fields;
        let s = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        let extra = s(f.extra)
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default();
        let origin: Origin = s(f.origin)
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default();
        Document {
            id: s(f.id).unwrap_or_default(),
            title: s(f.title),
            body: s(f.body).unwrap_or_default(),
            author: s(f.author),
            source: s(f.source),
            url: s(f.url),
            date: s(f.date_raw),
            extra,
            origin,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_durably_replaces_whole_files() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("settings.json");
        write_durably(&path, b"{\"a\": 1}\n").unwrap();
        write_durably(&path, b"{\"a\": 2}\n").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"{\"a\": 2}\n");
        let names: Vec<_> = fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["settings.json"], "no temporary file is left");
        let err = write_durably(&tmp.path().join("missing/x.json"), b"x").unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::NotFound);
    }
}
