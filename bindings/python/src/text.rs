//! `normalize`, `tokenize`, `sentences`, `stem` and `translit`: the text functions of the CLI.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};
use qalam_morph::Stemmer;
use qalam_text::Profile;
use qalam_text::translit::{Encoding, convert};

use crate::convert::text;
use crate::error;

/// Normalizes a text with a named profile: `search` (the default: folds alef forms, ى→ي, ة→ه,
/// drops diacritics and tatweel), `display` or `none`; as `qalam normalize`.
///
/// >>> qalam.normalize("إلى المدرسة")
/// 'الي المدرسه'
#[pyfunction]
#[pyo3(signature = (text, profile = "search"))]
pub fn normalize(text: &Bound<'_, PyString>, profile: &str) -> PyResult<String> {
    let profile: Profile = profile.parse().map_err(error::argument)?;
    Ok(qalam_text::normalize_str(
        &crate::convert::text(text)?,
        profile,
    ))
}

/// Splits a text into tokens; each is a dict with `text`, `kind`, byte offsets `start`/`end`,
/// char offsets `char_start`/`char_end` and the SEARCH-normalized `norm`.
///
/// >>> [t["text"] for t in qalam.tokenize("قال محمد: نعم")]
/// ['قال', 'محمد', ':', 'نعم']
#[pyfunction]
pub fn tokenize<'py>(text: &Bound<'py, PyString>) -> PyResult<Bound<'py, PyList>> {
    let py = text.py();
    let s = crate::convert::text(text)?;
    let tokens = py.detach(|| qalam_text::tokenize(&s));
    let out = PyList::empty(py);
    for t in tokens {
        let d = PyDict::new(py);
        d.set_item("text", &s[t.start..t.end])?;
        d.set_item("kind", kind_name(t.kind)?)?;
        d.set_item("start", t.start)?;
        d.set_item("end", t.end)?;
        d.set_item("char_start", t.char_start)?;
        d.set_item("char_end", t.char_end)?;
        d.set_item("norm", t.norm)?;
        out.append(d)?;
    }
    Ok(out)
}

/// The JSON name of a token kind (as in `qalam analyze`).
fn kind_name(kind: qalam_text::TokenKind) -> PyResult<String> {
    match serde_json::to_value(kind) {
        Ok(serde_json::Value::String(s)) => Ok(s),
        _ => Err(error::QalamError::new_err("token kind without a name")),
    }
}

/// Splits a text into sentences (after `.`, `!`, `?`, `؟` and at line breaks, not after
/// abbreviations such as `د.`); each is a dict with `text` and byte offsets `start`/`end`.
///
/// >>> [s["text"] for s in qalam.sentences("قال د. محمد إن الجو حار. ثم عاد.")]
/// ['قال د. محمد إن الجو حار.', 'ثم عاد.']
#[pyfunction]
pub fn sentences<'py>(text: &Bound<'py, PyString>) -> PyResult<Bound<'py, PyList>> {
    let py = text.py();
    let s = crate::convert::text(text)?;
    let out = PyList::empty(py);
    for sentence in py.detach(|| qalam_text::sentences(&s)) {
        let d = PyDict::new(py);
        d.set_item("text", &s[sentence.start..sentence.end])?;
        d.set_item("start", sentence.start)?;
        d.set_item("end", sentence.end)?;
        out.append(d)?;
    }
    Ok(out)
}

/// Stems a word, or each word of a list, with `light` (the default), `isri`, `snowball` or
/// `none`; as `qalam stem`. Words are stemmed as given (normalize them first to fold spellings).
///
/// >>> qalam.stem("والكتاب")
/// 'كتاب'
/// >>> qalam.stem(["المدارس", "بالمدرسة"])
/// ['مدارس', 'مدرس']
#[pyfunction]
#[pyo3(signature = (word_or_words, algo = "light"))]
pub fn stem<'py>(
    py: Python<'py>,
    word_or_words: &Bound<'py, PyAny>,
    algo: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let stemmer: Stemmer = algo.parse().map_err(|e| error::argument(format!("{e}")))?;
    if let Ok(word) = word_or_words.cast::<PyString>() {
        return Ok(PyString::new(py, &stemmer.stem(text(word)?.trim())).into_any());
    }
    let out = PyList::empty(py);
    let mut buf = String::new();
    for (i, item) in word_or_words.try_iter()?.enumerate() {
        let item = item?;
        let word = item
            .cast::<PyString>()
            .map_err(|_| error::argument(format!("words[{i}] is not str")))?;
        stemmer.stem_into(text(word)?.trim(), &mut buf);
        out.append(&buf)?;
    }
    Ok(out.into_any())
}

/// Transliterates between Arabic script (`ar`) and Buckwalter (`bw`, or `safebw` without
/// `<>|{}`); `to="ar"` reads Buckwalter, the others read Arabic; as `qalam translit`.
///
/// >>> qalam.translit("كتاب")
/// 'ktAb'
/// >>> qalam.translit("ktAb", to="ar")
/// 'كتاب'
#[pyfunction]
#[pyo3(signature = (text, to = "bw"))]
pub fn translit(text: &Bound<'_, PyString>, to: &str) -> PyResult<String> {
    let to: Encoding = to.parse().map_err(|e| error::argument(format!("{e}")))?;
    let from = match to {
        Encoding::Ar => Encoding::Bw,
        _ => Encoding::Ar,
    };
    Ok(convert(&crate::convert::text(text)?, from, to))
}
