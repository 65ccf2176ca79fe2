//! `tag_ner`: the NER model of the pipeline over tokens the caller gives.

use pyo3::prelude::*;
use pyo3::types::{PyList, PyString};

use crate::analyze::pipeline;
use crate::convert::text;
use crate::error;

/// Tags one sentence of tokens with the embedded NER model: one BIO tag per token (`O`,
/// `B-PERS`, `I-LOC`, …; types PERS, LOC, ORG, MISC), as `qalam tag ner`.
///
/// >>> qalam.tag_ner(["زار", "الملك", "سلمان", "الرياض"])
/// ['O', 'O', 'B-PERS', 'B-LOC']
#[pyfunction]
pub fn tag_ner<'py>(tokens: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyList>> {
    let py = tokens.py();
    if tokens.is_instance_of::<PyString>() {
        return Err(error::argument(
            "tag_ner takes a list of tokens, not a str (use qalam.tokenize or analyze)",
        ));
    }
    let mut words: Vec<String> = Vec::new();
    for (i, item) in tokens.try_iter()?.enumerate() {
        let item = item?;
        let word = item
            .cast::<PyString>()
            .map_err(|_| error::argument(format!("tokens[{i}] is not str")))?;
        words.push(text(word)?.into_owned());
    }
    let Some(ner) = pipeline().ner() else {
        return Err(error::ModelError::new_err("the pipeline has no NER model"));
    };
    let tags = py.detach(|| {
        let refs: Vec<&str> = words.iter().map(String::as_str).collect();
        ner.predict(&refs)
    });
    PyList::new(py, tags.iter().map(|t| t.as_str()))
}
