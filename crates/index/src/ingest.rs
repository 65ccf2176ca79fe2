//! Adding documents: [`Ingester`] wraps tantivy's multi-threaded `IndexWriter` with id
//! replacement, periodic atomic commits and counts.

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Instant;

use qalam_analysis::Pipeline;
use qalam_corpus::Document;
use rayon::prelude::*;
use serde::Serialize;
use tantivy::{IndexWriter, Searcher, TantivyDocument};

use crate::date::{parse_date, tantivy_date};
use crate::{IndexError, QalamIndex};

/// How an [`Ingester`] writes.
#[derive(Clone, Debug)]
pub struct WriterOptions {
    /// Indexing threads (tantivy analyses documents inside them); 0 means one per core.
    pub threads: usize,
    /// Memory budget of all indexing threads together, in bytes.
    pub memory_bytes: usize,
    /// Commit after this many added documents.
    pub commit_docs: u64,
    /// Commit after this many bytes of text (title + body).
    pub commit_bytes: u64,
    /// The pipeline that computes the reading aids (entities, keyphrases, summary,
    /// near-duplicate clusters) at ingest; `None`: no aids.
    pub aids: Option<Arc<Pipeline>>,
}

impl Default for WriterOptions {
    fn default() -> Self {
        WriterOptions {
            threads: 0,
            memory_bytes: 256 << 20,
            commit_docs: 10_000,
            commit_bytes: 64 << 20,
            aids: Some(Arc::new(Pipeline::default())),
        }
    }
}

/// Counts of one ingest.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct IngestReport {
    /// Documents whose id was new.
    pub added: u64,
    /// Documents that replaced one with the same id.
    pub replaced: u64,
    /// Records rejected by the reader or the index.
    pub rejected: u64,
    /// UTF-8 bytes of title + body of the indexed documents.
    pub bytes: u64,
    /// Commits made.
    pub commits: u64,
    /// Documents searchable after the last commit.
    pub docs_in_index: u64,
    /// Seconds from the start of the ingest to the end of the last commit.
    pub seconds: f64,
}

impl IngestReport {
    /// Documents indexed (added + replaced).
    pub fn indexed(&self) -> u64 {
        self.added + self.replaced
    }
}

/// Whether an added document was new or replaced another.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Added {
    /// Its id was not in the index.
    New,
    /// It replaced the document with the same id.
    Replaced,
}

/// Adds documents to a [`QalamIndex`]; nothing is visible (or durable) before a commit.
pub struct Ingester<'a> {
    index: &'a QalamIndex,
    writer: IndexWriter<TantivyDocument>,
    before: Searcher,
    seen: HashSet<String>,
    options: WriterOptions,
    pending_docs: u64,
    pending_bytes: u64,
    report: IngestReport,
    started: Instant,
    dedup: crate::dedup::Deduper,
    /// Documents to add: whether each replaces one, and its aids if its record carried them.
    queue: Vec<(Document, bool, Option<crate::aids::DocAids>)>,
}

/// Documents annotated together (in parallel) before they are added.
const AIDS_BATCH: usize = 64;

impl QalamIndex {
    /// Starts adding documents (takes the index's writer lock until dropped or finished).
    pub fn writer(&self, options: WriterOptions) -> Result<Ingester<'_>, IndexError> {
        let threads = match options.threads {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
            n => n,
        };
        // tantivy wants at least 15 MB per thread.
        let memory = options.memory_bytes.max(threads * 16_000_000);
        let writer = self.index.writer_with_num_threads(threads, memory)?;
        self.reload()?;
        Ok(Ingester {
            index: self,
            writer,
            before: self.searcher(),
            seen: HashSet::new(),
            options,
            pending_docs: 0,
            pending_bytes: 0,
            report: IngestReport::default(),
            started: Instant::now(),
            dedup: crate::dedup::Deduper::default(),
            queue: Vec::new(),
        })
    }

    /// Adds (or replaces) documents and commits once; for small batches such as uploads.
    pub fn add<I: IntoIterator<Item = Document>>(
        &self,
        docs: I,
    ) -> Result<IngestReport, IndexError> {
        let options = WriterOptions {
            threads: 1,
            commit_docs: u64::MAX,
            commit_bytes: u64::MAX,
            ..WriterOptions::default()
        };
        let mut ingester = self.writer(options)?;
        for doc in docs {
            ingester.add(&doc)?;
        }
        ingester.finish()
    }

    /// The tantivy document for `doc`.
    pub fn to_tantivy(&self, doc: &Document) -> TantivyDocument {
        let f = &self.fields;
        let root = self.settings.analyzer.has_root();
        let mut t = TantivyDocument::new();
        t.add_text(f.id, &doc.id);
        if let Some(title) = &doc.title {
            t.add_text(f.title, title);
            t.add_text(f.title_exact, title);
            if root {
                t.add_text(f.title_root, title);
            }
        }
        t.add_text(f.body, &doc.body);
        t.add_text(f.body_exact, &doc.body);
        if root {
            t.add_text(f.body_root, &doc.body);
        }
        if let Some(author) = &doc.author {
            t.add_text(f.author, author);
        }
        if let Some(source) = &doc.source {
            t.add_text(f.source, source);
        }
        if let Some(url) = &doc.url {
            t.add_text(f.url, url);
        }
        if let Some(date) = &doc.date {
            // A date tantivy cannot hold leaves the document undated for filters.
            if let Some(day) = parse_date(date).and_then(tantivy_date) {
                t.add_date(f.date, day);
            }
            t.add_text(f.date_raw, date);
        }
        if !doc.extra.is_empty() {
            t.add_text(
                f.extra,
                serde_json::Value::Object(doc.extra.clone()).to_string(),
            );
        }
        if let Ok(origin) = serde_json::to_string(&doc.origin) {
            t.add_text(f.origin, origin);
        }
        t
    }
}

impl Ingester<'_> {
    /// Queues `doc` for indexing, replacing any document with the same id (in the index or
    /// earlier in this ingest) at the next commit.
    ///
    /// An empty id, or one over [`qalam_corpus::MAX_ID_BYTES`] (512 bytes), is an
    /// [`IndexError::Document`] for this document alone; other errors concern the index.
    /// A pre-analyzed record ([`crate::analyzed`]) is indexed with the aids it carries (whatever
    /// the options say); a bad analysis is an [`IndexError::Document`] too.
    pub fn add(&mut self, doc: &Document) -> Result<Added, IndexError> {
        let (doc, given) = match crate::analyzed::take(doc) {
            Some(Ok((restored, aids))) => (Cow::Owned(restored), Some(aids)),
            Some(Err(err)) => return Err(err),
            None => (Cow::Borrowed(doc), None),
        };
        if doc.id.is_empty() {
            return Err(IndexError::Document {
                id: String::new(),
                message: "empty id".into(),
            });
        }
        if doc.id.len() > qalam_corpus::MAX_ID_BYTES {
            // Longer ids could not be replaced or deleted reliably (tantivy drops long terms).
            let mut shown = doc.id.chars().take(40).collect::<String>();
            shown.push('…');
            return Err(IndexError::Document {
                id: shown,
                message: format!(
                    "id is {} bytes, over the limit of {}",
                    doc.id.len(),
                    qalam_corpus::MAX_ID_BYTES
                ),
            });
        }
        let existed = (self.before.num_docs() > 0
            && self.index.id_exists(&self.before, &doc.id)?)
            || self.seen.contains(&doc.id);
        if !existed {
            self.seen.insert(doc.id.clone());
        }
        let bytes = (doc.title.as_ref().map_or(0, String::len) + doc.body.len()) as u64;
        // Reading aids (NER, keyphrases, fingerprints) are computed for batches in parallel.
        self.queue.push((doc.into_owned(), existed, given));
        if self.queue.len() >= AIDS_BATCH {
            self.flush()?;
        }
        self.report.bytes += bytes;
        self.pending_bytes += bytes;
        self.pending_docs += 1;
        Ok(if existed {
            self.report.replaced += 1;
            Added::Replaced
        } else {
            self.report.added += 1;
            Added::New
        })
    }

    /// Annotates the queued documents in parallel, then adds them in order (replacing, and
    /// joining near-duplicate clusters, one after the other).
    fn flush(&mut self) -> Result<(), IndexError> {
        let mut queue = std::mem::take(&mut self.queue);
        let pipeline = self.options.aids.as_deref();
        let aids: Vec<Option<crate::aids::DocAids>> = queue
            .par_iter_mut()
            .map(|(doc, _, given)| {
                given
                    .take()
                    .or_else(|| pipeline.map(|p| crate::aids::annotate(p, doc)))
            })
            .collect();
        for ((doc, existed, _), aids) in queue.iter().zip(aids) {
            if *existed {
                self.writer.delete_term(self.index.id_term(&doc.id));
            }
            let mut t = self.index.to_tantivy(doc);
            if let Some(aids) = aids {
                let cluster = match &aids.minhash {
                    Some(sig) => self.dedup.assign(self.index, &self.before, &doc.id, sig)?.0,
                    None => doc.id.clone(),
                };
                self.index.add_aids(&mut t, aids, &cluster);
            }
            self.writer.add_document(t)?;
        }
        Ok(())
    }

    /// Counts a rejected record in the report.
    pub fn reject(&mut self) {
        self.report.rejected += 1;
    }

    /// True when the commit thresholds of the options are reached.
    pub fn should_commit(&self) -> bool {
        self.pending_docs >= self.options.commit_docs
            || self.pending_bytes >= self.options.commit_bytes
    }

    /// Commits if [`should_commit`](Self::should_commit); returns the documents in the index if it did.
    pub fn maybe_commit(&mut self) -> Result<Option<u64>, IndexError> {
        if self.should_commit() {
            self.commit().map(Some)
        } else {
            Ok(None)
        }
    }

    /// Commits everything added so far (atomically) and returns the documents in the index.
    pub fn commit(&mut self) -> Result<u64, IndexError> {
        self.flush()?;
        self.writer.commit()?;
        self.pending_docs = 0;
        self.pending_bytes = 0;
        self.report.commits += 1;
        self.index.reload()?;
        self.report.docs_in_index = self.index.num_docs();
        self.report.seconds = self.started.elapsed().as_secs_f64();
        Ok(self.report.docs_in_index)
    }

    /// The counts so far.
    pub fn report(&self) -> &IngestReport {
        &self.report
    }

    /// Commits what is pending, waits for background merges and returns the report.
    pub fn finish(mut self) -> Result<IngestReport, IndexError> {
        if self.pending_docs > 0 || self.report.commits == 0 {
            self.commit()?;
        }
        self.writer.wait_merging_threads()?;
        self.index.reload()?;
        self.report.seconds = self.started.elapsed().as_secs_f64();
        Ok(self.report)
    }
}

#[cfg(test)]
mod tests {
    use qalam_corpus::{Document, MAX_ID_BYTES, Origin};

    use crate::{AnalyzerSettings, IndexError, QalamIndex};

    fn doc(id: &str) -> Document {
        let mut d = Document::from_text("نص المقال".into(), Origin::default());
        d.id = id.to_string();
        d
    }

    #[test]
    fn ids_over_the_limit_are_rejected_and_ids_at_it_work() {
        let index = QalamIndex::create_in_ram(AnalyzerSettings::default()).unwrap();
        let at_limit = "ي".repeat(MAX_ID_BYTES / 2);
        let over = "x".repeat(70_000);
        let mut ingester = index.writer(Default::default()).unwrap();
        let err = ingester.add(&doc(&over)).unwrap_err();
        assert!(matches!(err, IndexError::Document { .. }), "{err}");
        let shown = err.to_string();
        assert!(
            shown.ends_with(": id is 70000 bytes, over the limit of 512"),
            "{shown}"
        );
        assert!(shown.len() < 200, "the id is shortened: {shown}");
        ingester.add(&doc(&at_limit)).unwrap();
        ingester.finish().unwrap();
        // The id term is intact: the document can be replaced and deleted.
        let report = index.add([doc(&at_limit)]).unwrap();
        assert_eq!((report.added, report.replaced), (0, 1));
        assert_eq!(index.num_docs(), 1);
        assert_eq!(index.delete(&[at_limit.as_str()]).unwrap(), 1);
        assert_eq!(index.num_docs(), 0);
    }
}
