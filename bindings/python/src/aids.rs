//! The steps of near-duplicate clustering and stories that Spark distributes: the similarity
//! check of candidate pairs, the cluster assignment inside a connected component (the index's
//! own), and story clustering of pre-analyzed documents.

use std::sync::OnceLock;

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList};
use qalam_analysis::fingerprint::{MinHash, Thresholds};
use qalam_analysis::stories::{StoryConfig, StoryDoc};
use qalam_index::dedup::Deduper;
use qalam_index::{AnalyzerSettings, QalamIndex};

use crate::convert::to_py;
use crate::error;

/// A signature from its bytes (`None` stays `None`).
fn signature(i: usize, b: Option<&Bound<'_, PyBytes>>) -> PyResult<Option<MinHash>> {
    match b {
        None => Ok(None),
        Some(b) => MinHash::from_bytes(b.as_bytes())
            .map(Some)
            .ok_or_else(|| error::input(format!("minhash {i} has the wrong length"))),
    }
}

/// The signatures of a list of bytes (or None).
fn signatures(list: &Bound<'_, PyAny>) -> PyResult<Vec<Option<MinHash>>> {
    let mut out = Vec::new();
    for (i, item) in list.try_iter()?.enumerate() {
        let item = item?;
        if item.is_none() {
            out.push(None);
            continue;
        }
        let b = item
            .cast::<PyBytes>()
            .map_err(|_| error::argument(format!("minhash {i} is not bytes")))?;
        out.push(signature(i, Some(b))?);
    }
    Ok(out)
}

/// Two lists of signatures of the same length, to be compared pair by pair.
type SignaturePairs = (Vec<Option<MinHash>>, Vec<Option<MinHash>>);

/// The signatures of `a` and `b`, which must be as many.
fn signature_pairs(a: &Bound<'_, PyAny>, b: &Bound<'_, PyAny>) -> PyResult<SignaturePairs> {
    let (a, b) = (signatures(a)?, signatures(b)?);
    if a.len() != b.len() {
        return Err(error::argument(format!(
            "{} signatures against {}",
            a.len(),
            b.len()
        )));
    }
    Ok((a, b))
}

/// For each pair `(a[i], b[i])` of MinHash signatures, their estimated Jaccard similarity if
/// they are near-duplicates under the thresholds of `qalam dedup` and the index, else None.
///
/// >>> x, y = qalam.analyze_columns(["افتتح الأمير مشروع المياه الجديد في مدينة جدة اليوم",
/// ...                                 "فاز الهلال على النصر في مباراة الدوري السعودي"])["minhash"]
/// >>> qalam.near_duplicates([x, x], [x, y])
/// [1.0, None]
#[pyfunction]
pub fn near_duplicates(
    py: Python<'_>,
    a: &Bound<'_, PyAny>,
    b: &Bound<'_, PyAny>,
) -> PyResult<Vec<Option<f32>>> {
    let (a, b) = signature_pairs(a, b)?;
    let t = Thresholds::default();
    Ok(py.detach(|| {
        a.iter()
            .zip(&b)
            .map(|(x, y)| match (x, y) {
                (Some(x), Some(y)) => t.near(x, y),
                _ => None,
            })
            .collect()
    }))
}

/// An empty index: the deduper looks up earlier ingests in it and finds none.
fn empty_index() -> PyResult<&'static QalamIndex> {
    static EMPTY: OnceLock<Result<QalamIndex, String>> = OnceLock::new();
    EMPTY
        .get_or_init(|| {
            QalamIndex::create_in_ram(AnalyzerSettings::default()).map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(|e| error::QalamError::new_err(e.clone()))
}

/// Assigns near-duplicate clusters to documents in ingest order, exactly as one `qalam index`
/// run does (a document joins the cluster of the first document it copies, so templated
/// series do not chain; a record never links to another with its own id, which it replaces).
/// Give it the members of one connected component of near-duplicate pairs, in input order.
/// Returns each document's cluster: the id of the cluster's first document.
///
/// >>> x = qalam.analyze_columns(["افتتح الأمير مشروع المياه الجديد في مدينة جدة اليوم"])["minhash"][0]
/// >>> qalam.assign_clusters(["a", "b"], [x, x])
/// ['a', 'a']
#[pyfunction]
pub fn assign_clusters(
    py: Python<'_>,
    ids: Vec<String>,
    minhashes: &Bound<'_, PyAny>,
) -> PyResult<Vec<String>> {
    let sigs = signatures(minhashes)?;
    if sigs.len() != ids.len() {
        return Err(error::argument(format!(
            "{} signatures for {} ids",
            sigs.len(),
            ids.len()
        )));
    }
    let index = empty_index()?;
    py.detach(|| {
        let searcher = index.searcher();
        let mut deduper = Deduper::default();
        let mut clusters: Vec<String> = Vec::with_capacity(ids.len());
        for (id, sig) in ids.iter().zip(&sigs) {
            let cluster = match sig {
                Some(sig) => {
                    deduper
                        .assign(index, &searcher, id, sig)
                        .map_err(error::index)?
                        .0
                }
                None => id.clone(),
            };
            clusters.push(cluster);
        }
        Ok(clusters)
    })
}

/// The estimated Jaccard similarity of each pair `(a[i], b[i])` of MinHash signatures, as
/// `qalam dedup` reports it (0.0 when either is None or has no content words).
///
/// >>> x, y = qalam.analyze_columns(["افتتح الأمير مشروع المياه الجديد في مدينة جدة اليوم",
/// ...                                 "فاز الهلال على النصر في مباراة الدوري السعودي"])["minhash"]
/// >>> qalam.jaccard([x, x], [x, y])
/// [1.0, 0.0]
#[pyfunction]
pub fn jaccard(py: Python<'_>, a: &Bound<'_, PyAny>, b: &Bound<'_, PyAny>) -> PyResult<Vec<f32>> {
    let (a, b) = signature_pairs(a, b)?;
    Ok(py.detach(|| {
        a.iter()
            .zip(&b)
            .map(|(x, y)| match (x, y) {
                (Some(x), Some(y)) => x.jaccard(y),
                _ => 0.0,
            })
            .collect()
    }))
}

/// Stories among documents given as dicts of story inputs (`id`, `title`, `date`, `day`,
/// `source`, `entities` as `KIND:key`, `keyphrases`, `cluster`), as `qalam stories` groups the
/// documents of an index: each story has `docs` (indices into `docs`), `central`, `days`,
/// `entities`, `keyphrases` and `clusters`.
///
/// >>> qalam.stories([{"id": "a", "day": 1, "entities": ["LOC:جده"]}], min_docs=1)[0]["docs"]
/// [0]
#[pyfunction]
#[pyo3(signature = (docs, window_days = 3, threshold = 0.25, min_docs = 2))]
pub fn stories<'py>(
    py: Python<'py>,
    docs: &Bound<'py, PyList>,
    window_days: i64,
    threshold: f32,
    min_docs: usize,
) -> PyResult<Bound<'py, PyAny>> {
    let json: String = py
        .import("json")?
        .getattr("dumps")?
        .call1((docs,))?
        .extract()?;
    let bad = |e: String| error::argument(format!("story documents: {e}"));
    let mut values: Vec<serde_json::Value> =
        serde_json::from_str(&json).map_err(|e| bad(e.to_string()))?;
    for v in &mut values {
        // Missing fields are empty, as for an undated document without aids.
        if let Some(map) = v.as_object_mut() {
            for key in ["entities", "keyphrases"] {
                map.entry(key).or_insert_with(|| serde_json::json!([]));
            }
        }
    }
    let docs: Vec<StoryDoc> = values
        .into_iter()
        .enumerate()
        .map(|(i, v)| serde_json::from_value(v).map_err(|e| bad(format!("document {i}: {e}"))))
        .collect::<PyResult<_>>()?;
    let config = StoryConfig {
        window_days,
        threshold,
        min_docs,
        ..StoryConfig::default()
    };
    let found = py.detach(|| qalam_analysis::stories::stories(&docs, &config));
    to_py(py, &found)
}
