//! `read_documents` and `input_files`: the readers of `qalam index` (JSON, JSONL, text, zip
//! archives such as SaudiNewsNet's, directories), one result per record.

use std::path::PathBuf;
use std::sync::Mutex;

use pyo3::prelude::*;
use qalam_corpus::{Inputs, Limits, read_inputs_with};

use crate::convert::to_py;
use crate::error;

/// The documents of files and directories, read as `qalam index` reads them.
///
/// Iterating yields one dict per document (`id`, `title`, `body`, `author`, `source`, `url`,
/// `date`, `extra`, `origin`; absent fields are missing) and, for each record that cannot be
/// read, an `InputError` (yielded, not raised) whose message names the file, the line or
/// record and the fault, so reading goes on.
#[pyclass(module = "qalam")]
pub struct Documents {
    inputs: Mutex<Inputs>,
}

#[pymethods]
impl Documents {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        let next = py.detach(|| -> PyResult<_> {
            let mut inputs = self
                .inputs
                .lock()
                .map_err(|_| error::QalamError::new_err("the reader was poisoned"))?;
            Ok(inputs.next())
        })?;
        match next {
            None => Ok(None),
            Some(Ok(doc)) => to_py(py, &doc).map(Some),
            Some(Err(e)) => Ok(Some(
                error::input(e.to_string())
                    .into_value(py)
                    .into_any()
                    .into_bound(py),
            )),
        }
    }
}

/// The reading limits of `qalam index` (its defaults unless given).
fn limits(max_record_bytes: Option<u64>) -> Limits {
    let mut limits = Limits::default();
    if let Some(n) = max_record_bytes {
        limits.max_record_bytes = n;
    }
    limits
}

/// Reads documents from files and directories (JSON, JSONL, `.txt`, zip archives such as
/// SaudiNewsNet's), lazily and in the order `qalam index` reads them; see `Documents`.
///
/// >>> for item in qalam.read_documents([path]):  # a JSONL file whose line 2 has no text
/// ...     if isinstance(item, qalam.QalamError):
/// ...         print("skipped:", str(item).split(": ", 1)[1])
/// ...     else:
/// ...         print(item["id"], item["title"])
/// a أمطار
/// skipped: line 2: record has no text field (content|body|text)
#[pyfunction]
#[pyo3(signature = (paths, *, max_record_bytes = None))]
pub fn read_documents(paths: Vec<PathBuf>, max_record_bytes: Option<u64>) -> Documents {
    Documents {
        inputs: Mutex::new(read_inputs_with(paths, limits(max_record_bytes))),
    }
}

/// The files `read_documents(paths)` would read, in its order, without reading them: directories
/// are replaced by the supported files in them. Returns `(files, errors)`, with one message per
/// directory that could not be listed.
///
/// >>> qalam.input_files([path]) == ([path], [])
/// True
#[pyfunction]
pub fn input_files(py: Python<'_>, paths: Vec<PathBuf>) -> (Vec<String>, Vec<String>) {
    py.detach(|| {
        let mut files = Vec::new();
        let mut errors = Vec::new();
        for f in read_inputs_with(paths, Limits::default()).files() {
            match f {
                Ok(path) => files.push(path.to_string_lossy().into_owned()),
                Err(e) => errors.push(e.to_string()),
            }
        }
        (files, errors)
    })
}
