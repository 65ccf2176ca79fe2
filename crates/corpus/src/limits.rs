//! Limits on what the readers accept, so that hostile inputs cost bounded memory and time.

use std::fmt;

/// Longest document id accepted anywhere documents enter (bytes).
///
/// The index keys documents by id; tantivy drops terms over 65,530 bytes, which would make a
/// document impossible to replace or delete, so ids are kept far below that.
pub const MAX_ID_BYTES: usize = 512;

/// Bytes a zip member (or a whole archive) may produce before its compression ratio is checked.
///
/// Small, very repetitive files compress far better than 200:1 without being bombs.
pub const RATIO_GRACE_BYTES: u64 = 1 << 20;

/// Limits on records, zip archives and ids; each breach is one error and reading goes on.
///
/// | limit | default | `qalam index` flag |
/// |---|---|---|
/// | [`max_record_bytes`](Self::max_record_bytes) | 16 MiB | `--max-record-mb` |
/// | [`max_zip_bytes`](Self::max_zip_bytes) | 4 GiB | `--max-zip-gb` |
/// | [`max_zip_ratio`](Self::max_zip_ratio) | 200 | `--max-zip-ratio` |
/// | [`max_id_bytes`](Self::max_id_bytes) | 512 ([`MAX_ID_BYTES`], also the ceiling) | `--max-id-bytes` |
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest record in bytes: one JSONL line, one JSON array element, one `.json` object or
    /// one whole `.txt` file. Larger records are skipped (not read into memory).
    pub max_record_bytes: u64,
    /// Largest total of uncompressed bytes read from one zip archive, nested archives
    /// included. Members are checked by their declared size before reading and by the bytes
    /// actually read; the archive's remaining members are skipped once it is reached.
    pub max_zip_bytes: u64,
    /// Largest compression ratio (uncompressed : compressed) of a zip member and of a whole
    /// archive, checked once more than [`RATIO_GRACE_BYTES`] came out of it.
    pub max_zip_ratio: u64,
    /// Longest document id in bytes; at most [`MAX_ID_BYTES`] (larger values act as it).
    pub max_id_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_record_bytes: 16 << 20,
            max_zip_bytes: 4 << 30,
            max_zip_ratio: 200,
            max_id_bytes: MAX_ID_BYTES,
        }
    }
}

impl Limits {
    /// The id limit in force: [`max_id_bytes`](Self::max_id_bytes), capped at [`MAX_ID_BYTES`].
    pub fn id_bytes(&self) -> usize {
        self.max_id_bytes.min(MAX_ID_BYTES)
    }

    /// Checks an id's length against [`id_bytes`](Self::id_bytes).
    pub fn check_id(&self, id: &str) -> Result<(), crate::CorpusError> {
        if id.len() > self.id_bytes() {
            return Err(crate::CorpusError::IdTooLong {
                len: id.len(),
                limit: self.id_bytes(),
            });
        }
        Ok(())
    }
}

/// Shows a byte count as GiB, MiB or KiB when it is a whole number of them, else in bytes.
pub(crate) struct Bytes(pub(crate) u64);

impl fmt::Display for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0;
        for (unit, name) in [(1u64 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")] {
            if n >= unit && n.is_multiple_of(unit) {
                return write!(f, "{} {name}", n / unit);
            }
        }
        write!(f, "{n} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_display() {
        assert_eq!(Bytes(16 << 20).to_string(), "16 MiB");
        assert_eq!(Bytes(4 << 30).to_string(), "4 GiB");
        assert_eq!(Bytes(3 << 10).to_string(), "3 KiB");
        assert_eq!(Bytes(1000).to_string(), "1000 bytes");
        assert_eq!(Bytes((1 << 20) + 1).to_string(), "1048577 bytes");
    }

    #[test]
    fn id_limit_is_capped() {
        let limits = Limits {
            max_id_bytes: 100_000,
            ..Limits::default()
        };
        assert_eq!(limits.id_bytes(), MAX_ID_BYTES);
        assert!(limits.check_id(&"a".repeat(512)).is_ok());
        let err = limits.check_id(&"a".repeat(513)).unwrap_err();
        assert_eq!(err.to_string(), "id is 513 bytes, over the limit of 512");
    }
}
