//! Little-endian binary encoding of the PADT model files (`QLMT` magic + format version).

use super::PadtError;

/// Magic bytes every saved model starts with.
pub const MAGIC: &[u8; 4] = b"QLMT";
/// Version of the PADT model file layout; `load` rejects any other.
pub const FORMAT_VERSION: u32 = 2;

/// Appends primitive values to a byte buffer.
#[derive(Default, Debug)]
pub struct Writer(Vec<u8>);

impl Writer {
    /// A writer that starts with the model header for `kind` (e.g. `b"seg\0"`).
    pub fn with_header(kind: &[u8; 4]) -> Self {
        let mut w = Writer::default();
        w.0.extend_from_slice(MAGIC);
        w.u32(FORMAT_VERSION);
        w.0.extend_from_slice(kind);
        w
    }
    /// Writes a `u16`.
    pub fn u16(&mut self, v: u16) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    /// Writes a `u32`.
    pub fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    /// Writes a `u64`.
    pub fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    /// Writes an `f32`.
    pub fn f32(&mut self, v: f32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    /// Writes a length-prefixed string.
    pub fn str(&mut self, s: &str) {
        self.u32(s.len() as u32);
        self.0.extend_from_slice(s.as_bytes());
    }
    /// Writes a length-prefixed list of strings.
    pub fn strs<S: AsRef<str>>(&mut self, v: &[S]) {
        self.u32(v.len() as u32);
        for s in v {
            self.str(s.as_ref());
        }
    }
    /// The bytes written.
    pub fn into_inner(self) -> Vec<u8> {
        self.0
    }
}

/// Reads primitive values from a byte slice, failing cleanly on truncation.
#[derive(Debug)]
pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    /// A reader at the start of `buf`.
    pub fn new(buf: &'a [u8]) -> Self {
        Reader { buf, pos: 0 }
    }

    /// A reader positioned after a checked header of the given `kind`.
    pub fn with_header(buf: &'a [u8], kind: &[u8; 4]) -> Result<Self, PadtError> {
        let mut r = Reader::new(buf);
        if r.take(4)? != MAGIC {
            return Err(PadtError::Format("not a qalam model (bad magic)".into()));
        }
        let v = r.u32()?;
        if v != FORMAT_VERSION {
            return Err(PadtError::Version {
                found: v,
                expected: FORMAT_VERSION,
            });
        }
        let k = r.take(4)?;
        if k != kind {
            return Err(PadtError::Format(format!(
                "model kind {:?}, expected {:?}",
                String::from_utf8_lossy(k),
                String::from_utf8_lossy(kind)
            )));
        }
        Ok(r)
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], PadtError> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.buf.len());
        let end = end.ok_or_else(|| PadtError::Format("truncated model file".into()))?;
        let s = &self.buf[self.pos..end];
        self.pos = end;
        Ok(s)
    }
    /// Reads a `u16`.
    pub fn u16(&mut self) -> Result<u16, PadtError> {
        Ok(u16::from_le_bytes(
            self.take(2)?.try_into().expect("2 bytes"),
        ))
    }
    /// Reads a `u32`.
    pub fn u32(&mut self) -> Result<u32, PadtError> {
        Ok(u32::from_le_bytes(
            self.take(4)?.try_into().expect("4 bytes"),
        ))
    }
    /// Reads a `u64`.
    pub fn u64(&mut self) -> Result<u64, PadtError> {
        Ok(u64::from_le_bytes(
            self.take(8)?.try_into().expect("8 bytes"),
        ))
    }
    /// Reads an `f32`.
    pub fn f32(&mut self) -> Result<f32, PadtError> {
        Ok(f32::from_le_bytes(
            self.take(4)?.try_into().expect("4 bytes"),
        ))
    }
    /// Reads a length-prefixed string.
    pub fn str(&mut self) -> Result<String, PadtError> {
        let n = self.u32()? as usize;
        let b = self.take(n)?;
        String::from_utf8(b.to_vec()).map_err(|_| PadtError::Format("invalid UTF-8".into()))
    }
    /// Reads a length-prefixed list of strings.
    pub fn strs(&mut self) -> Result<Vec<String>, PadtError> {
        let n = self.u32()? as usize;
        if n > self.buf.len() {
            return Err(PadtError::Format("bad list length".into()));
        }
        (0..n).map(|_| self.str()).collect()
    }
    /// True when every byte has been read.
    pub fn is_at_end(&self) -> bool {
        self.pos == self.buf.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_round_trip_and_version_check() {
        let mut w = Writer::with_header(b"seg\0");
        w.str("علم");
        w.f32(1.5);
        let bytes = w.into_inner();
        let mut r = Reader::with_header(&bytes, b"seg\0").unwrap();
        assert_eq!(r.str().unwrap(), "علم");
        assert_eq!(r.f32().unwrap(), 1.5);
        assert!(r.is_at_end());
        assert!(Reader::with_header(&bytes, b"pos\0").is_err());
        let mut bad = bytes.clone();
        bad[4] = 99;
        assert!(matches!(
            Reader::with_header(&bad, b"seg\0"),
            Err(PadtError::Version { found: 99, .. })
        ));
        assert!(Reader::with_header(&bytes[..6], b"seg\0").is_err());
    }
}
