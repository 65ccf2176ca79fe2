//! The encoding of the model files: little-endian integers and floats, strings and lists
//! prefixed with their `u32` length. [`Writer::with_header`] and [`Reader::with_header`]
//! (in `header.rs`) add and check the header every file starts with.

use super::ModelError;

/// Appends values to a model file's bytes.
#[derive(Default, Debug)]
pub struct Writer(Vec<u8>);

impl Writer {
    /// Writes a byte.
    pub fn u8(&mut self, v: u8) {
        self.0.push(v);
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
    /// Writes raw bytes (no length).
    pub fn bytes(&mut self, b: &[u8]) {
        self.0.extend_from_slice(b);
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

/// Reads values from a model file's bytes, failing cleanly on truncation.
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

    /// Reads `n` raw bytes.
    pub fn bytes(&mut self, n: usize) -> Result<&'a [u8], ModelError> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.buf.len());
        let end = end.ok_or(ModelError::Truncated)?;
        let s = &self.buf[self.pos..end];
        self.pos = end;
        Ok(s)
    }
    /// Reads `N` raw bytes into an array.
    fn array<const N: usize>(&mut self) -> Result<[u8; N], ModelError> {
        let mut a = [0; N];
        a.copy_from_slice(self.bytes(N)?);
        Ok(a)
    }
    /// Reads a byte.
    pub fn u8(&mut self) -> Result<u8, ModelError> {
        Ok(self.bytes(1)?[0])
    }
    /// Reads a `u16`.
    pub fn u16(&mut self) -> Result<u16, ModelError> {
        Ok(u16::from_le_bytes(self.array()?))
    }
    /// Reads a `u32`.
    pub fn u32(&mut self) -> Result<u32, ModelError> {
        Ok(u32::from_le_bytes(self.array()?))
    }
    /// Reads a `u64`.
    pub fn u64(&mut self) -> Result<u64, ModelError> {
        Ok(u64::from_le_bytes(self.array()?))
    }
    /// Reads an `f32`.
    pub fn f32(&mut self) -> Result<f32, ModelError> {
        Ok(f32::from_le_bytes(self.array()?))
    }
    /// Reads a length-prefixed string.
    pub fn str(&mut self) -> Result<String, ModelError> {
        let n = self.u32()? as usize;
        let b = self.bytes(n)?;
        String::from_utf8(b.to_vec()).map_err(|_| ModelError::Corrupt("invalid UTF-8"))
    }
    /// Reads a length-prefixed list of strings.
    pub fn strs(&mut self) -> Result<Vec<String>, ModelError> {
        let n = self.u32()? as usize;
        if n > self.remaining() {
            return Err(ModelError::Corrupt("list longer than the file"));
        }
        (0..n).map(|_| self.str()).collect()
    }
    /// Bytes not read yet.
    pub fn remaining(&self) -> usize {
        self.buf.len() - self.pos
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
    fn values_round_trip_and_truncation_is_an_error() {
        let mut w = Writer::default();
        w.u8(7);
        w.u16(0xBEEF);
        w.u64(u64::MAX - 1);
        w.strs(&["a", "بب"]);
        w.bytes(b"xy");
        let bytes = w.into_inner();
        let mut r = Reader::new(&bytes);
        assert_eq!(r.u8().unwrap(), 7);
        assert_eq!(r.u16().unwrap(), 0xBEEF);
        assert_eq!(r.u64().unwrap(), u64::MAX - 1);
        assert_eq!(r.strs().unwrap(), ["a", "بب"]);
        assert_eq!(r.bytes(2).unwrap(), b"xy");
        assert!(r.is_at_end());
        assert!(matches!(r.u8(), Err(ModelError::Truncated)));
        let mut r = Reader::new(&[5, 0, 0, 0, b'a']);
        assert!(matches!(r.str(), Err(ModelError::Truncated)));
        let mut r = Reader::new(&[0xff, 0xff, 0xff, 0xff]);
        assert!(r.strs().is_err());
        assert!(Reader::new(&[1, 0, 0, 0, 0xff]).str().is_err());
    }
}
