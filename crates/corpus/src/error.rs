//! The error type of the readers: a kind wrapped in context (path, zip member, line, record).

use std::fmt;
use std::path::{Path, PathBuf};

use crate::limits::Bytes;

/// An error met while reading inputs, with the context that locates it.
///
/// Context wrappers nest from the outside in: `WithPath`, then `WithMember` (zip archives), then
/// `WithLine` (JSONL) or `WithRecord` (JSON arrays), then one kind. `Display` prints them all,
/// e.g. `data/x.jsonl: line 7: record has no text field (content|body|text)`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CorpusError {
    /// An error in the file (or stdin, or named buffer) at `path`.
    #[error("{}: {err}", path.display())]
    WithPath {
        /// The file the error belongs to.
        path: PathBuf,
        /// The error inside it.
        err: Box<CorpusError>,
    },
    /// An error in one member of a zip archive.
    #[error("{member}: {err}")]
    WithMember {
        /// The member's name inside the archive.
        member: String,
        /// The error inside it.
        err: Box<CorpusError>,
    },
    /// An error in one line of a JSONL file (1-based).
    #[error("line {line}: {err}")]
    WithLine {
        /// The 1-based line number.
        line: u64,
        /// The error on that line.
        err: Box<CorpusError>,
    },
    /// An error in one element of a JSON array (1-based index, and the line it starts on).
    #[error("record {index} (line {line}): {err}")]
    WithRecord {
        /// The 1-based index of the element in the array.
        index: u64,
        /// The 1-based line on which the element starts.
        line: u64,
        /// The error in that element.
        err: Box<CorpusError>,
    },
    /// Malformed JSON; `line` is absent when a `WithLine` wrapper already gives it.
    #[error("invalid JSON at {}: {message}", JsonPos(*.line, *.column))]
    Json {
        /// The 1-based line of the fault in the file, when not given by a wrapper.
        line: Option<u64>,
        /// The 1-based byte column of the fault.
        column: u64,
        /// What is wrong, as serde_json words it.
        message: String,
    },
    /// A JSON record that is not an object.
    #[error("record is {found}, not a JSON object")]
    NotAnObject {
        /// The JSON type found instead ("an array", "a string", ...).
        found: &'static str,
    },
    /// A JSON record with none of the text fields.
    #[error("record has no text field (content|body|text)")]
    NoText,
    /// A record whose title and text are both blank.
    #[error("record is blank (no title and no text)")]
    BlankRecord,
    /// A known field with a value of the wrong JSON type.
    #[error("field `{field}` is {found}, expected {expected}")]
    BadField {
        /// The field's name.
        field: &'static str,
        /// The JSON type found.
        found: &'static str,
        /// The JSON type(s) accepted.
        expected: &'static str,
    },
    /// Bytes that are not UTF-8; `offset` is the file offset of the first bad byte.
    #[error("invalid UTF-8 at byte {offset}")]
    BadUtf8 {
        /// 0-based byte offset of the first invalid byte in the file (or zip member).
        offset: u64,
    },
    /// A file with no content (zero bytes or whitespace only).
    #[error("file is empty")]
    Empty,
    /// A zip archive that cannot be opened.
    #[error("unreadable zip archive: {}", ZipMessage(.0))]
    Zip(zip::result::ZipError),
    /// A zip member that cannot be read (bad compression, encryption, CRC mismatch, too large).
    #[error("unreadable zip member: {}", ZipMessage(.0))]
    ZipMember(zip::result::ZipError),
    /// A zip archive without any member of a supported type.
    #[error("zip archive has no .txt, .json, .jsonl or .ndjson member")]
    NoSupportedMembers,
    /// A file named on the command line whose extension no reader handles.
    #[error("unsupported file extension {ext:?} (expected .txt, .json, .jsonl, .ndjson or .zip)")]
    UnsupportedExtension {
        /// The extension found (empty when the file has none).
        ext: String,
    },
    /// A record over [`Limits::max_record_bytes`](crate::Limits::max_record_bytes).
    #[error("record is over the size limit of {}", Bytes(*.limit))]
    RecordTooLarge {
        /// The limit in bytes.
        limit: u64,
    },
    /// A zip archive whose members expand to more than
    /// [`Limits::max_zip_bytes`](crate::Limits::max_zip_bytes); the rest of it is skipped.
    #[error(
        "zip archive expands to more than {} in total; the rest of the archive is skipped",
        Bytes(*.limit)
    )]
    ZipTooLarge {
        /// The limit in bytes.
        limit: u64,
    },
    /// A zip member (or a whole archive) compressed more than
    /// [`Limits::max_zip_ratio`](crate::Limits::max_zip_ratio) to one: a likely zip bomb.
    #[error("{} expands more than {limit}:1 (a zip bomb?); {}",
        if *.whole_archive { "zip archive" } else { "zip member" },
        if *.whole_archive { "the rest of the archive is skipped" } else { "skipped" })]
    ZipRatio {
        /// The largest ratio allowed.
        limit: u64,
        /// True when the archive as a whole went over, not just this member.
        whole_archive: bool,
    },
    /// A document id over [`Limits::max_id_bytes`](crate::Limits::max_id_bytes).
    #[error("id is {len} bytes, over the limit of {limit}")]
    IdTooLong {
        /// The id's length in bytes.
        len: usize,
        /// The limit in bytes.
        limit: usize,
    },
    /// An I/O error.
    #[error("{0}")]
    Io(std::io::Error),
}

impl From<std::io::Error> for CorpusError {
    fn from(err: std::io::Error) -> CorpusError {
        CorpusError::Io(err)
    }
}

struct JsonPos(Option<u64>, u64);

impl fmt::Display for JsonPos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(line) => write!(f, "line {line}, column {}", self.1),
            None => write!(f, "column {}", self.1),
        }
    }
}

/// Shows a zip error, spelling out the I/O error that zip shows only as "i/o error".
struct ZipMessage<'a>(&'a zip::result::ZipError);

impl fmt::Display for ZipMessage<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            zip::result::ZipError::Io(err) => write!(f, "{err}"),
            other => write!(f, "{other}"),
        }
    }
}

impl CorpusError {
    /// Wraps `self` with the path of the file it came from.
    pub fn with_path(self, path: impl Into<PathBuf>) -> CorpusError {
        CorpusError::WithPath {
            path: path.into(),
            err: Box::new(self),
        }
    }

    /// Wraps `self` with the name of the zip member it came from.
    pub fn with_member(self, member: impl Into<String>) -> CorpusError {
        CorpusError::WithMember {
            member: member.into(),
            err: Box::new(self),
        }
    }

    /// Wraps `self` with a 1-based line number.
    pub fn with_line(self, line: u64) -> CorpusError {
        CorpusError::WithLine {
            line,
            err: Box::new(self),
        }
    }

    /// Wraps `self` with a 1-based record index and the line the record starts on.
    pub fn with_record(self, index: u64, line: u64) -> CorpusError {
        CorpusError::WithRecord {
            index,
            line,
            err: Box::new(self),
        }
    }

    /// Returns the error kind under all context wrappers.
    pub fn kind(&self) -> &CorpusError {
        match self {
            CorpusError::WithPath { err, .. }
            | CorpusError::WithMember { err, .. }
            | CorpusError::WithLine { err, .. }
            | CorpusError::WithRecord { err, .. } => err.kind(),
            other => other,
        }
    }

    /// Returns the outermost path in the context, if any.
    pub fn path(&self) -> Option<&Path> {
        match self {
            CorpusError::WithPath { path, .. } => Some(path),
            CorpusError::WithMember { err, .. }
            | CorpusError::WithLine { err, .. }
            | CorpusError::WithRecord { err, .. } => err.path(),
            _ => None,
        }
    }

    /// Returns true when the error concerns one line or record, so the rest of its file was read.
    pub fn is_record_error(&self) -> bool {
        match self {
            CorpusError::WithLine { .. } | CorpusError::WithRecord { .. } => true,
            CorpusError::WithPath { err, .. } | CorpusError::WithMember { err, .. } => {
                err.is_record_error()
            }
            _ => false,
        }
    }

    /// Builds a `Json` error from serde_json's, shifting its position by where the text began.
    pub(crate) fn from_serde(err: &serde_json::Error, start: Option<(u64, u64)>) -> CorpusError {
        let mut message = err.to_string();
        if let Some(at) = message.rfind(" at line ") {
            message.truncate(at);
        }
        let (line, column) = match start {
            Some((line0, col0)) if err.line() <= 1 => {
                (Some(line0), col0 + (err.column() as u64).saturating_sub(1))
            }
            Some((line0, _)) => (Some(line0 + err.line() as u64 - 1), err.column() as u64),
            None => (None, err.column() as u64),
        };
        CorpusError::Json {
            line,
            column,
            message,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_file_line_and_fault() {
        let err = CorpusError::NoText.with_line(7).with_path("data/x.jsonl");
        assert_eq!(
            err.to_string(),
            "data/x.jsonl: line 7: record has no text field (content|body|text)"
        );
        assert!(err.is_record_error());
        assert!(matches!(err.kind(), CorpusError::NoText));
        assert_eq!(err.path(), Some(Path::new("data/x.jsonl")));
    }

    #[test]
    fn display_zip_member_record() {
        let err = CorpusError::BadUtf8 { offset: 12 }
            .with_record(3, 40)
            .with_member("2015-07-21.json")
            .with_path("a.zip");
        assert_eq!(
            err.to_string(),
            "a.zip: 2015-07-21.json: record 3 (line 40): invalid UTF-8 at byte 12"
        );
    }

    #[test]
    fn file_errors_are_not_record_errors() {
        let err = CorpusError::Empty.with_path("a.txt");
        assert!(!err.is_record_error());
        assert_eq!(err.to_string(), "a.txt: file is empty");
    }

    #[test]
    fn serde_positions_are_shifted() {
        let serde_err = serde_json::from_str::<serde_json::Value>("{\"a\": tru}").unwrap_err();
        let err = CorpusError::from_serde(&serde_err, Some((10, 5)));
        let CorpusError::Json { line, column, .. } = &err else {
            panic!("not a Json error: {err:?}");
        };
        assert_eq!(*line, Some(10));
        assert_eq!(*column, 5 + serde_err.column() as u64 - 1);
        assert!(!err.to_string().contains("at line 1 column"), "{err}");
        assert!(
            err.to_string()
                .starts_with("invalid JSON at line 10, column "),
            "{err}"
        );
        let serde_err = serde_json::from_str::<serde_json::Value>("{\n\"a\": }").unwrap_err();
        let err = CorpusError::from_serde(&serde_err, Some((10, 5)));
        assert!(
            err.to_string().starts_with(&format!(
                "invalid JSON at line 11, column {}",
                serde_err.column()
            )),
            "{err}"
        );
    }
}
