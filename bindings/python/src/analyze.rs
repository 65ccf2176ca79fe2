//! `analyze` and `analyze_many`: the per-document pipeline of `qalam analyze --format json`.

use std::sync::mpsc::sync_channel;
use std::sync::{Arc, OnceLock};

use pyo3::prelude::*;
use pyo3::types::{PyList, PyString};
use qalam_analysis::ud::ud_words;
use qalam_analysis::{AnalyzedDocument, Pipeline};
use qalam_tagger::padt::AnalysisCache;
use rayon::prelude::*;

use crate::convert::{from_json, to_json};
use crate::error;

/// The pipeline every function of the module shares, built on first use.
pub fn pipeline() -> &'static Arc<Pipeline> {
    static PIPELINE: OnceLock<Arc<Pipeline>> = OnceLock::new();
    PIPELINE.get_or_init(|| Arc::new(Pipeline::default()))
}

/// What to add to each analysed document.
#[derive(Clone, Copy)]
struct Extras {
    morph: bool,
    fingerprint: bool,
}

/// The JSON document of one text, as `qalam analyze --format json --split none` writes it.
fn document_json(
    name: &str,
    text: &str,
    extras: Extras,
    cache: &mut AnalysisCache,
) -> PyResult<String> {
    let pipeline = pipeline();
    let mut doc = AnalyzedDocument::new(name, 0, pipeline.analyze(text));
    if extras.fingerprint {
        doc = doc.with_fingerprint();
    }
    if extras.morph {
        let padt = pipeline.padt().map_err(error::model)?;
        doc.words = Some(ud_words(padt, text, 0, cache));
    }
    to_json(&doc)
}

/// Analyses one text: sentences, tokens (with normalized form and stem), entities, keyphrases
/// and an extractive summary, as one document of `qalam analyze --format json`.
///
/// Offsets (`start`, `end`) are UTF-8 byte offsets into the text, as in the CLI's JSON; tokens
/// also carry `char_start`/`char_end`, which index the Python string.
/// `morph=True` adds `words` (the UD words of the PADT models, as `--morph`); `fingerprint=True`
/// adds the near-duplicate `fingerprint` (MinHash in hex and LSH band keys, as `--fingerprint`).
///
/// >>> doc = qalam.analyze("زار الملك سلمان مدينة الرياض.")
/// >>> [e["text"] for e in doc["entities"]]
/// ['سلمان', 'الرياض']
#[pyfunction]
#[pyo3(signature = (text, *, morph = false, fingerprint = false, name = "-"))]
pub fn analyze<'py>(
    py: Python<'py>,
    text: &Bound<'py, PyString>,
    morph: bool,
    fingerprint: bool,
    name: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let text = crate::convert::text(text)?;
    let extras = Extras { morph, fingerprint };
    let json = py.detach(|| document_json(name, &text, extras, &mut AnalysisCache::default()))?;
    from_json(py, &json)
}

/// Documents the pool analyses before this thread turns them into dicts (the unit of work
/// handed from the pool to the GIL; at most two such chunks wait).
const CHUNK: usize = 256;

/// The thread pool of `threads` threads (`None`: rayon's global pool, one thread per core).
pub fn thread_pool(threads: Option<usize>) -> PyResult<Option<rayon::ThreadPool>> {
    match threads {
        None => Ok(None),
        Some(0) => Err(error::argument("threads must be at least 1")),
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .map(Some)
            .map_err(|e| error::QalamError::new_err(format!("thread pool: {e}"))),
    }
}

/// Analyses many texts in parallel (on `threads` threads; default: one per core) without
/// holding the GIL; returns one dict per text, in order, each as `analyze` returns it.
///
/// With `threads=1` the calling thread analyses and converts in turn. Otherwise the pool
/// analyses the texts chunk by chunk while the calling thread, holding the GIL, turns the
/// finished chunks into dicts, so that the only serial step overlaps the parallel one.
/// Each token is a dict of eight entries (about 0.5 KB of Python objects): process a large
/// corpus in slices of a few thousand texts rather than keeping every result.
///
/// >>> docs = qalam.analyze_many(["أمطار غزيرة على جدة.", "افتتاح مدرسة في الرياض."])
/// >>> len(docs)
/// 2
#[pyfunction]
#[pyo3(signature = (texts, threads = None, *, morph = false, fingerprint = false))]
pub fn analyze_many<'py>(
    py: Python<'py>,
    texts: &Bound<'py, PyAny>,
    threads: Option<usize>,
    morph: bool,
    fingerprint: bool,
) -> PyResult<Bound<'py, PyList>> {
    let owned = crate::convert::texts(texts)?;
    let extras = Extras { morph, fingerprint };
    let out = PyList::empty(py);
    if threads == Some(1) {
        let mut cache = AnalysisCache::default();
        for t in &owned {
            let json = py.detach(|| document_json("-", t, extras, &mut cache))?;
            out.append(from_json(py, &json)?)?;
        }
        return Ok(out);
    }
    let pool = thread_pool(threads)?;
    let (tx, rx) = sync_channel::<Vec<PyResult<String>>>(2);
    std::thread::scope(|scope| -> PyResult<()> {
        let owned = &owned;
        let pool = &pool;
        scope.spawn(move || {
            for chunk in owned.chunks(CHUNK) {
                let run = || {
                    chunk
                        .par_iter()
                        .map_init(AnalysisCache::default, |cache, t| {
                            document_json("-", t, extras, cache)
                        })
                        .collect()
                };
                let jsons = match pool {
                    Some(pool) => pool.install(run),
                    None => run(),
                };
                if tx.send(jsons).is_err() {
                    return; // the caller stopped at an error
                }
            }
        });
        let mut rx = rx;
        loop {
            // Wait without the GIL (the receiver moves in and out: it cannot be shared).
            let (back, jsons) = py.detach(move || {
                let jsons = rx.recv();
                (rx, jsons)
            });
            rx = back;
            let Ok(jsons) = jsons else {
                return Ok(());
            };
            for json in jsons {
                // An error drops `rx` on return, which stops the analysing thread.
                out.append(from_json(py, &json?)?)?;
            }
        }
    })?;
    Ok(out)
}
