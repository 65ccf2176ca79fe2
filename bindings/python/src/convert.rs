//! Conversions between Python and Rust values: strings that must be valid Unicode, and serde
//! values turned into Python objects through their JSON (so Python sees exactly the CLI's JSON).

use std::borrow::Cow;

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyString;
use serde::Serialize;

use crate::error;

/// The text of a Python `str`; a string with lone surrogates is an [`error::InputError`].
pub fn text<'a>(s: &'a Bound<'_, PyString>) -> PyResult<Cow<'a, str>> {
    s.to_cow()
        .map_err(|e| error::input(format!("text is not valid Unicode: {e}")))
}

/// The texts of an iterable of `str`, copied out of Python (so that they can be analysed without
/// the GIL); a non-`str` item is an [`error::ArgumentError`] naming its position.
pub fn texts(items: &Bound<'_, PyAny>) -> PyResult<Vec<String>> {
    let mut owned = Vec::new();
    for (i, item) in items.try_iter()?.enumerate() {
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
    Ok(owned)
}

/// Python's `json.loads`.
fn json_loads(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
    static LOADS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    LOADS.import(py, "json", "loads")
}

/// Serializes `value` to JSON (the same bytes the CLI writes).
pub fn to_json<T: Serialize>(value: &T) -> PyResult<String> {
    serde_json::to_string(value).map_err(|e| crate::error::QalamError::new_err(e.to_string()))
}

/// The Python object of a JSON text.
pub fn from_json<'py>(py: Python<'py>, json: &str) -> PyResult<Bound<'py, PyAny>> {
    json_loads(py)?.call1((json,))
}

/// The Python object of a serde value, through its JSON.
pub fn to_py<'py, T: Serialize>(py: Python<'py>, value: &T) -> PyResult<Bound<'py, PyAny>> {
    from_json(py, &to_json(value)?)
}
