//! The header every model file starts with: the magic `QLMT`, the format version of the file's
//! kind (`u32`, little-endian), and the kind (4 bytes, e.g. `ner\0`).
//!
//! Each kind has its own version, so that changing the features of one model does not
//! invalidate the others; a file of another version is rejected, never guessed at.

use std::fmt;

use super::{ModelError, Reader, Writer};

/// The magic bytes every model file starts with.
pub const MAGIC: &[u8; 4] = b"QLMT";
/// Bytes of the header: magic, version, kind.
pub const HEADER_LEN: usize = 12;

/// What a model file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ModelKind {
    /// Named entities (`ner::NerTagger`).
    Ner,
    /// PADT clitic segmentation (`padt::Segmenter`).
    Seg,
    /// PADT POS tags (`padt::PosTagger`).
    Pos,
    /// PADT lemmas (`padt::Lemmatizer`).
    Lemma,
    /// Word and subword embeddings (`embed::Embeddings`).
    Embed,
    /// The neural NER network (`neural::NeuralNer`).
    NerNeural,
}

impl ModelKind {
    /// Every kind.
    pub const ALL: [ModelKind; 6] = [
        ModelKind::Ner,
        ModelKind::Seg,
        ModelKind::Pos,
        ModelKind::Lemma,
        ModelKind::Embed,
        ModelKind::NerNeural,
    ];

    /// The format version of this kind that this build reads and writes. It goes up whenever
    /// the layout or the feature set of the kind changes (NER 6: the names list and word counts;
    /// NER 5: the shared header; before it, NER files wrote the kind as a length-prefixed string).
    pub const fn version(self) -> u32 {
        match self {
            ModelKind::Ner => 6,
            ModelKind::Seg | ModelKind::Pos | ModelKind::Lemma => 2,
            ModelKind::Embed => 1,
            ModelKind::NerNeural => 2,
        }
    }

    /// The 4 bytes naming the kind in the header.
    pub const fn tag(self) -> &'static [u8; 4] {
        match self {
            ModelKind::Ner => b"ner\0",
            ModelKind::Seg => b"seg\0",
            ModelKind::Pos => b"pos\0",
            ModelKind::Lemma => b"lem\0",
            ModelKind::Embed => b"emb\0",
            ModelKind::NerNeural => b"nnr\0",
        }
    }

    /// The kind named by header bytes `tag`.
    pub fn from_tag(tag: &[u8]) -> Option<ModelKind> {
        Self::ALL.into_iter().find(|k| k.tag() == tag)
    }

    /// A short name: `ner`, `seg`, `pos`, `lemma`, `embed`.
    pub fn name(self) -> &'static str {
        match self {
            ModelKind::Ner => "ner",
            ModelKind::Seg => "seg",
            ModelKind::Pos => "pos",
            ModelKind::Lemma => "lemma",
            ModelKind::Embed => "embed",
            ModelKind::NerNeural => "ner-neural",
        }
    }
}

impl fmt::Display for ModelKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Writer {
    /// A writer that starts with the header of a `kind` model file.
    pub fn with_header(kind: ModelKind) -> Writer {
        let mut w = Writer::default();
        w.bytes(MAGIC);
        w.u32(kind.version());
        w.bytes(kind.tag());
        w
    }
}

impl<'a> Reader<'a> {
    /// A reader placed after the header of `bytes`, once the header says it is a `kind` model
    /// of the version this build reads.
    pub fn with_header(bytes: &'a [u8], kind: ModelKind) -> Result<Reader<'a>, ModelError> {
        let mut r = Reader::new(bytes);
        if r.bytes(4).ok() != Some(MAGIC.as_slice()) {
            return Err(ModelError::NotAModel);
        }
        let version = r.u32()?;
        let tag = r.bytes(4)?;
        let found = ModelKind::from_tag(tag);
        let wrong_kind = || ModelError::Kind {
            found: String::from_utf8_lossy(tag)
                .trim_end_matches('\0')
                .to_string(),
            expected: kind,
        };
        if found.is_some_and(|f| f != kind) {
            return Err(wrong_kind());
        }
        if version != kind.version() {
            return Err(ModelError::Version {
                kind,
                found: version,
                expected: kind.version(),
            });
        }
        if found.is_none() {
            return Err(wrong_kind());
        }
        Ok(r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_round_trip_and_checks() {
        let mut w = Writer::with_header(ModelKind::Seg);
        w.str("علم");
        w.f32(1.5);
        let bytes = w.into_inner();
        assert_eq!(&bytes[..4], MAGIC);
        assert_eq!(&bytes[8..HEADER_LEN], b"seg\0");
        let mut r = Reader::with_header(&bytes, ModelKind::Seg).unwrap();
        assert_eq!(r.str().unwrap(), "علم");
        assert_eq!(r.f32().unwrap(), 1.5);
        assert!(r.is_at_end());
        assert!(matches!(
            Reader::with_header(&bytes, ModelKind::Pos),
            Err(ModelError::Kind { found, expected: ModelKind::Pos }) if found == "seg"
        ));
        let mut bad = bytes.clone();
        bad[4] = 99;
        assert!(matches!(
            Reader::with_header(&bad, ModelKind::Seg),
            Err(ModelError::Version { found: 99, .. })
        ));
        bad[..4].copy_from_slice(b"QLMX");
        assert!(matches!(
            Reader::with_header(&bad, ModelKind::Seg),
            Err(ModelError::NotAModel)
        ));
        assert!(matches!(
            Reader::with_header(&bytes[..6], ModelKind::Seg),
            Err(ModelError::Truncated)
        ));
        assert!(matches!(
            Reader::with_header(b"QL", ModelKind::Seg),
            Err(ModelError::NotAModel)
        ));
    }

    #[test]
    fn kinds_have_distinct_tags() {
        for k in ModelKind::ALL {
            assert_eq!(ModelKind::from_tag(k.tag()), Some(k));
        }
        assert_eq!(ModelKind::from_tag(b"xyz\0"), None);
    }
}
