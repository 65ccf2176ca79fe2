//! `qalam.Index`: a search index on disk, written through the shared pipeline (reading aids
//! included) and searched with the JSON of `GET /api/search`.

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyString};
use qalam_corpus::{Document, Origin};
use qalam_index::{
    AnalyzerSettings, PAGE_MAX_LIMIT, PAGE_MAX_OFFSET, QalamIndex, QueryMode, SearchRequest,
    SearchResponse, WriterOptions,
};

use crate::analyze::pipeline;
use crate::convert::{text, to_py};
use crate::error;

/// Documents pending before `add` writes them on its own (as `qalam index --commit-docs`).
const PENDING_DOCS: usize = 10_000;
/// Bytes of text pending before `add` writes them on its own.
const PENDING_BYTES: usize = 64 << 20;

struct State {
    index: QalamIndex,
    pending: Vec<Document>,
    pending_bytes: usize,
}

/// A qalam search index in a directory, as `qalam index` builds it and `qalam serve` serves it.
///
/// `add` reads records (dicts with the fields of the JSONL input: `id`, `title`,
/// `content`/`body`/`text`, `author`, `source`, `url`, `date`), `commit` writes them with
/// their entities, keyphrases, summaries and near-duplicate clusters, and `search` answers as
/// `GET /api/search`. As a context manager the index commits on a clean exit.
///
/// >>> with qalam.Index(path, create=True) as index:
/// ...     report = index.add([{"id": "1", "title": "مطر", "content": "أمطار غزيرة على جدة"}])
/// >>> index.search("مطر")["hits"][0]["id"]
/// '1'
#[pyclass(module = "qalam", frozen)]
pub struct Index {
    path: PathBuf,
    state: Mutex<State>,
}

impl Index {
    fn lock(&self) -> PyResult<MutexGuard<'_, State>> {
        self.state
            .lock()
            .map_err(|_| error::QalamError::new_err("the index was poisoned by an earlier panic"))
    }
}

/// Python's `json.dumps`.
fn json_dumps(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
    static DUMPS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    DUMPS.import(py, "json", "dumps")
}

/// The document of record `i` (a dict with the fields of the JSONL input).
fn record(py: Python<'_>, i: usize, item: &Bound<'_, PyAny>) -> Result<Document, String> {
    let origin = Origin {
        path: "<python>".into(),
        record: Some(i as u64 + 1),
        ..Origin::default()
    };
    let at = |message: String| format!("record {}: {message}", i + 1);
    if !item.is_instance_of::<PyDict>() {
        let found = item.get_type().name().map_or("?".into(), |n| n.to_string());
        return Err(at(format!("record is {found}, not a dict")));
    }
    // Through JSON, so a record means exactly what the same line of a JSONL file means.
    let json = json_dumps(py)
        .and_then(|dumps| dumps.call1((item,)))
        .and_then(|s| s.extract::<String>())
        .map_err(|e| at(e.value(py).to_string()))?;
    let value: serde_json::Value = serde_json::from_str(&json).map_err(|e| at(e.to_string()))?;
    Document::from_json(value, origin).map_err(|e| at(e.to_string()))
}

/// Writes `docs` in one ingest and commits; record errors go to `errors`.
fn write(
    index: &QalamIndex,
    docs: Vec<Document>,
    errors: &mut Vec<String>,
) -> Result<qalam_index::IngestReport, qalam_index::IndexError> {
    let options = WriterOptions {
        aids: Some(pipeline().clone()),
        commit_docs: u64::MAX,
        commit_bytes: u64::MAX,
        ..WriterOptions::default()
    };
    let mut ingester = index.writer(options)?;
    for doc in &docs {
        match ingester.add(doc) {
            Ok(_) => {}
            Err(e @ qalam_index::IndexError::Document { .. }) => {
                ingester.reject();
                errors.push(e.to_string());
            }
            Err(e) => return Err(e),
        }
    }
    ingester.finish()
}

#[pymethods]
impl Index {
    /// Opens the index in `path`; `create=True` creates it when the directory is missing or
    /// empty.
    #[new]
    #[pyo3(signature = (path, create = false))]
    fn new(py: Python<'_>, path: PathBuf, create: bool) -> PyResult<Index> {
        let p = path.clone();
        let index = py
            .detach(move || {
                if create {
                    QalamIndex::open_or_create(&p, AnalyzerSettings::default()).map(|(i, _)| i)
                } else {
                    QalamIndex::open(&p)
                }
            })
            .map_err(error::index)?;
        Ok(Index {
            path,
            state: Mutex::new(State {
                index,
                pending: Vec::new(),
                pending_bytes: 0,
            }),
        })
    }

    /// The index directory.
    #[getter]
    fn path(&self) -> String {
        self.path.display().to_string()
    }

    /// Documents searchable now (committed).
    fn __len__(&self, py: Python<'_>) -> PyResult<usize> {
        py.detach(|| Ok(self.lock()?.index.num_docs() as usize))
    }

    /// Reads records and queues them for the next `commit`; returns a report with the ids
    /// queued and one message per rejected record (`record N: …`). Past 10,000 queued
    /// documents (or 64 MB of text) the queue is written at once.
    ///
    /// >>> index.add([{"id": "a", "content": "افتتاح مدرسة جديدة في الرياض"}, {"id": "b"}])["errors"]
    /// ['record 2: record has no text field (content|body|text)']
    fn add<'py>(&self, py: Python<'py>, docs: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyDict>> {
        let mut ids: Vec<String> = Vec::new();
        let mut errors: Vec<String> = Vec::new();
        let mut batch: Vec<Document> = Vec::new();
        for (i, item) in docs.try_iter()?.enumerate() {
            match record(py, i, &item?) {
                Ok(doc) => {
                    ids.push(doc.id.clone());
                    batch.push(doc);
                }
                Err(e) => errors.push(e),
            }
        }
        let (written, pending) = py.detach(|| -> PyResult<_> {
            let mut state = self.lock()?;
            for doc in batch {
                state.pending_bytes += doc.body.len() + doc.title.as_ref().map_or(0, String::len);
                state.pending.push(doc);
            }
            let mut written = None;
            if state.pending.len() >= PENDING_DOCS || state.pending_bytes >= PENDING_BYTES {
                let docs = std::mem::take(&mut state.pending);
                state.pending_bytes = 0;
                let mut write_errors = Vec::new();
                let report = write(&state.index, docs, &mut write_errors).map_err(error::index)?;
                written = Some((report, write_errors));
            }
            Ok((written, state.pending.len()))
        })?;
        let out = PyDict::new(py);
        out.set_item("queued", ids.len())?;
        out.set_item("rejected", errors.len())?;
        out.set_item("ids", ids)?;
        out.set_item("errors", errors)?;
        out.set_item("pending", pending)?;
        if let Some((report, write_errors)) = written {
            let d = report_dict(py, &report, write_errors)?;
            out.set_item("written", d)?;
        }
        Ok(out)
    }

    /// Writes the queued documents with their reading aids and commits; returns the counts
    /// (`added`, `replaced`, `rejected`, `docs_in_index`, `errors`).
    ///
    /// >>> index.commit()["docs_in_index"]
    /// 2
    fn commit<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let (report, errors) = py.detach(|| -> PyResult<_> {
            let mut state = self.lock()?;
            let docs = std::mem::take(&mut state.pending);
            state.pending_bytes = 0;
            let mut errors = Vec::new();
            let report = write(&state.index, docs, &mut errors).map_err(error::index)?;
            Ok((report, errors))
        })?;
        report_dict(py, &report, errors)
    }

    /// Searches the committed documents (no query and no filter: all of them); returns the JSON of `GET /api/search` (`q`, `total`,
    /// `offset`, `limit`, `took_ms`, `hits` with snippets, and `facets` unless `facets=False`).
    /// `mode="words"` reads `q` as plain words; `collapse=True` shows one hit per
    /// near-duplicate cluster.
    ///
    /// >>> index.search("مدرسة", limit=5)["total"]
    /// 1
    #[pyo3(signature = (q = None, limit = 10, offset = 0, collapse = false, *, mode = "syntax",
        source = None, date_from = None, date_to = None, all_words = false, facets = true))]
    #[allow(clippy::too_many_arguments)]
    fn search<'py>(
        &self,
        py: Python<'py>,
        q: Option<&Bound<'py, PyString>>,
        limit: usize,
        offset: usize,
        collapse: bool,
        mode: &str,
        source: Option<String>,
        date_from: Option<String>,
        date_to: Option<String>,
        all_words: bool,
        facets: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let q = match q {
            Some(q) => text(q)?.into_owned(),
            None => String::new(),
        };
        let mode = match mode {
            "syntax" => QueryMode::Syntax,
            "words" => QueryMode::Words,
            other => {
                return Err(error::argument(format!(
                    "mode {other:?} is not syntax or words"
                )));
            }
        };
        if limit > PAGE_MAX_LIMIT {
            return Err(error::argument(format!(
                "limit {limit} is more than {PAGE_MAX_LIMIT}"
            )));
        }
        if offset > PAGE_MAX_OFFSET {
            return Err(error::argument(format!(
                "offset {offset} is more than {PAGE_MAX_OFFSET}"
            )));
        }
        let blank = |s: Option<String>| s.filter(|s| !s.trim().is_empty());
        let (source, from, to) = (blank(source), blank(date_from), blank(date_to));
        let mut query = q.trim().to_string();
        if query.is_empty() && source.is_none() && from.is_none() && to.is_none() {
            // No query and no filter: browse the whole archive (as /api/search).
            query = "*".into();
        }
        let request = SearchRequest {
            q: query,
            mode,
            limit,
            offset,
            source,
            from,
            to,
            all_words,
            facets,
            collapse,
            ..SearchRequest::default()
        };
        let response = py.detach(|| -> PyResult<SearchResponse> {
            let state = self.lock()?;
            SearchResponse::run(&state.index, q, &request).map_err(error::index)
        })?;
        to_py(py, &response)
    }

    /// The stored document with this id (its fields as a dict), or None.
    ///
    /// >>> index.get("a")["body"]
    /// 'افتتاح مدرسة جديدة في الرياض'
    fn get<'py>(&self, py: Python<'py>, id: &Bound<'py, PyString>) -> PyResult<Bound<'py, PyAny>> {
        let id = text(id)?.into_owned();
        let doc = py.detach(|| -> PyResult<Option<Document>> {
            self.lock()?.index.get(&id).map_err(error::index)
        })?;
        match doc {
            Some(doc) => to_py(py, &doc),
            None => Ok(py.None().into_bound(py)),
        }
    }

    /// Deletes the documents with these ids (one id or a list) and commits; returns how many
    /// of them existed.
    ///
    /// >>> index.delete(["a", "zzz"])
    /// 1
    fn delete(&self, py: Python<'_>, ids: &Bound<'_, PyAny>) -> PyResult<u64> {
        let mut list: Vec<String> = Vec::new();
        if let Ok(id) = ids.cast::<PyString>() {
            list.push(text(id)?.into_owned());
        } else {
            for (i, item) in ids.try_iter()?.enumerate() {
                let item = item?;
                let id = item
                    .cast::<PyString>()
                    .map_err(|_| error::argument(format!("ids[{i}] is not str")))?;
                list.push(text(id)?.into_owned());
            }
        }
        py.detach(|| -> PyResult<u64> { self.lock()?.index.delete(&list).map_err(error::index) })
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    /// Commits on a clean exit; drops what is queued when the block raised.
    fn __exit__(
        &self,
        py: Python<'_>,
        exc_type: Option<&Bound<'_, PyAny>>,
        _exc_value: Option<&Bound<'_, PyAny>>,
        _traceback: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<bool> {
        if exc_type.is_some() {
            py.detach(|| -> PyResult<()> {
                let mut state = self.lock()?;
                state.pending.clear();
                state.pending_bytes = 0;
                Ok(())
            })?;
        } else {
            self.commit(py)?;
        }
        Ok(false)
    }

    fn __repr__(&self) -> String {
        format!("qalam.Index({:?})", self.path.display().to_string())
    }
}

/// The report of one write as a dict.
fn report_dict<'py>(
    py: Python<'py>,
    report: &qalam_index::IngestReport,
    errors: Vec<String>,
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("added", report.added)?;
    d.set_item("replaced", report.replaced)?;
    d.set_item("rejected", report.rejected)?;
    d.set_item("docs_in_index", report.docs_in_index)?;
    d.set_item("errors", PyList::new(py, errors)?)?;
    Ok(d)
}
