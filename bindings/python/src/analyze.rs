//! `analyze` and `analyze_many`: the per-document pipeline of `qalam analyze --format json`.

use std::sync::{Arc, OnceLock};

use pyo3::prelude::*;
use pyo3::types::{PyList, PyString};
use qalam_analysis::ud::ud_words;
use qalam_analysis::{AnalyzedDocument, Pipeline};
use qalam_tagger::padt::AnalysisCache;
use rayon::prelude::*;

use crate::convert::{from_json, text, to_json};
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

/// Analyses many texts in parallel (on `threads` threads; default: one per core) without
/// holding the GIL; returns one dict per text, in order, each as `analyze` returns it.
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
    let mut owned: Vec<String> = Vec::new();
    for (i, item) in texts.try_iter()?.enumerate() {
        let item = item?;
        let s = item.cast::<PyString>().map_err(|_| {
            error::argument(format!(
                "texts[{i}] is {}, not str",
                item.get_type().name().map_or("?".into(), |n| n.to_string())
            ))
        })?;
        owned.push(
            text(s)
                .map_err(|e| error::input(format!("texts[{i}]: {e}")))?
                .into_owned(),
        );
    }
    let extras = Extras { morph, fingerprint };
    let jsons: Vec<PyResult<String>> = py.detach(|| {
        let run = || {
            owned
                .par_iter()
                .map_init(AnalysisCache::default, |cache, t| {
                    document_json("-", t, extras, cache)
                })
                .collect()
        };
        match threads {
            None => Ok(run()),
            Some(0) => Err(error::argument("threads must be at least 1")),
            Some(n) => rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .map(|pool| pool.install(run))
                .map_err(|e| error::QalamError::new_err(format!("thread pool: {e}"))),
        }
    })?;
    let out = PyList::empty(py);
    for json in jsons {
        out.append(from_json(py, &json?)?)?;
    }
    Ok(out)
}
