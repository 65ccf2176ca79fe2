//! [`Embeddings`]: int8-quantized word and char n-gram vectors, their file format and lookups.
//!
//! File layout after the header (kind `emb`): `dim u32`, `minn u8`, `maxn u8`, `buckets u32`;
//! the words (`u32` count, then each word as a string and its corpus count as `u32`), their
//! rows; the n-gram buckets kept (`u32` count, then the bucket ids, strictly increasing), their
//! rows. Rows are stored as all their `f32` scales, then all their `dim` int8 values
//! (value = scale · int8). A word's row is already the mean of its own vector and its n-grams'.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use qalam_text::hash::FxHashMap;
use qalam_text::{Options, normalize_into};

use super::ngrams::for_each_ngram;
use crate::linear::{ModelError, ModelKind, Reader, Writer};

/// Largest vector size a file may declare.
pub const MAX_DIM: usize = 1024;
/// Largest n-gram length a file may declare.
pub const MAX_NGRAM: usize = 16;
/// Largest row scale: values stay within ±1.27e8, so sums and norms of vectors stay finite.
pub const MAX_SCALE: f32 = 1e6;

/// Rows of int8 values with one `f32` scale per row.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Rows {
    dim: usize,
    scales: Vec<f32>,
    data: Vec<i8>,
}

impl Rows {
    /// No rows of `dim` values.
    pub(crate) fn new(dim: usize) -> Rows {
        Rows {
            dim,
            scales: Vec::new(),
            data: Vec::new(),
        }
    }

    /// Appends `v` quantized: scale = max |v| / 127, values rounded to the nearest step.
    pub(crate) fn push(&mut self, v: &[f32]) {
        debug_assert_eq!(v.len(), self.dim);
        let max = v.iter().fold(0f32, |m, x| m.max(x.abs()));
        let scale = if max.is_finite() && max > 0.0 {
            (max / 127.0).min(MAX_SCALE)
        } else {
            0.0
        };
        self.scales.push(scale);
        let inv = if scale > 0.0 { 1.0 / scale } else { 0.0 };
        self.data.extend(
            v.iter()
                .map(|x| (x * inv).round().clamp(-127.0, 127.0) as i8),
        );
    }

    fn len(&self) -> usize {
        self.scales.len()
    }

    /// Adds `weight` × row `i` to `out`.
    #[inline]
    fn add_to(&self, i: usize, weight: f32, out: &mut [f32]) {
        let s = self.scales[i] * weight;
        let row = &self.data[i * self.dim..(i + 1) * self.dim];
        for (o, &q) in out.iter_mut().zip(row) {
            *o += s * f32::from(q);
        }
    }

    fn write(&self, w: &mut Writer) {
        for &s in &self.scales {
            w.f32(s);
        }
        w.bytes(&self.data.iter().map(|&q| q as u8).collect::<Vec<u8>>());
    }

    fn read(r: &mut Reader, n: usize, dim: usize) -> Result<Rows, ModelError> {
        let need = n
            .checked_mul(dim + 4)
            .ok_or(ModelError::Corrupt("row count"))?;
        if need > r.remaining() {
            return Err(ModelError::Truncated);
        }
        let mut scales = Vec::with_capacity(n);
        for _ in 0..n {
            let s = r.f32()?;
            if !(0.0..=MAX_SCALE).contains(&s) {
                return Err(ModelError::Corrupt("row scale"));
            }
            scales.push(s);
        }
        let data = r.bytes(n * dim)?.iter().map(|&b| b as i8).collect();
        Ok(Rows { dim, scales, data })
    }
}

/// Where a vector came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Found {
    /// A word of the vocabulary (its id).
    Word(u32),
    /// An out-of-vocabulary word: the mean of this many of its char n-grams' vectors.
    Subwords(u32),
    /// Nothing known: the vector is zero.
    Unknown,
}

/// Word and subword embeddings: a vector for every word of the vocabulary, and for any other
/// word the mean of its char n-gram vectors (fastText-style).
///
/// Words are looked up by their search-normalized form, the form the NER reads
/// ([`Embeddings::lookup`] normalizes; [`Embeddings::lookup_norm`] takes a normalized form).
#[derive(Clone, Debug)]
pub struct Embeddings {
    dim: usize,
    minn: u8,
    maxn: u8,
    buckets: u32,
    words: Vec<String>,
    counts: Vec<u32>,
    index: FxHashMap<String, u32>,
    word_rows: Rows,
    ngram_ids: Vec<u32>,
    ngram_rows: Rows,
}

impl Embeddings {
    /// Embeddings from their parts (the trainer's output); `words`, `counts` and `word_rows` are
    /// aligned, `ngram_ids` is strictly increasing and aligned with `ngram_rows`.
    pub(crate) fn from_parts(
        (minn, maxn, buckets): (usize, usize, u32),
        words: Vec<(String, u32)>,
        word_rows: Rows,
        ngram_ids: Vec<u32>,
        ngram_rows: Rows,
    ) -> Embeddings {
        debug_assert_eq!(words.len(), word_rows.len());
        debug_assert_eq!(ngram_ids.len(), ngram_rows.len());
        debug_assert!(ngram_ids.windows(2).all(|w| w[0] < w[1]));
        let (words, counts): (Vec<String>, Vec<u32>) = words.into_iter().unzip();
        let index = words
            .iter()
            .enumerate()
            .map(|(i, w)| (w.clone(), i as u32))
            .collect();
        Embeddings {
            dim: word_rows.dim,
            minn: minn as u8,
            maxn: maxn as u8,
            buckets,
            words,
            counts,
            index,
            word_rows,
            ngram_ids,
            ngram_rows,
        }
    }

    /// The embeddings shipped in the repository (`crates/tagger/models/embed.qlm`, trained on
    /// SaudiNewsNet by `qalam train embeddings`), loaded once.
    pub fn embedded() -> Arc<Embeddings> {
        static EMBEDDED: &[u8] = include_bytes!("../../models/embed.qlm");
        static MODEL: OnceLock<Arc<Embeddings>> = OnceLock::new();
        MODEL
            .get_or_init(|| {
                Arc::new(
                    Embeddings::from_bytes(EMBEDDED)
                        .expect("the embedded embeddings are valid (checked by tests)"),
                )
            })
            .clone()
    }

    /// The length of every vector.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// Words in the vocabulary.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// True if the vocabulary is empty.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// N-gram buckets with a stored vector.
    pub fn ngram_rows(&self) -> usize {
        self.ngram_ids.len()
    }

    /// The char n-gram lengths (`minn..=maxn`) and the number of hash buckets.
    pub fn ngram_settings(&self) -> (usize, usize, u32) {
        (self.minn as usize, self.maxn as usize, self.buckets)
    }

    /// The word with vocabulary id `id` (ids go by falling corpus count).
    pub fn word(&self, id: u32) -> &str {
        &self.words[id as usize]
    }

    /// How often the word `id` occurred in the training text.
    pub fn count(&self, id: u32) -> u32 {
        self.counts[id as usize]
    }

    /// The vocabulary id of a search-normalized word.
    pub fn id(&self, norm: &str) -> Option<u32> {
        self.index.get(norm).copied()
    }

    /// Writes the vector of `token` (any spelling: it is search-normalized first) into `out`
    /// (length [`Embeddings::dim`]) and says where it came from.
    pub fn lookup(&self, token: &str, out: &mut [f32]) -> Found {
        let mut norm = String::with_capacity(token.len());
        normalize_into(token, &Options::SEARCH, &mut norm);
        self.lookup_norm(&norm, out)
    }

    /// Writes the vector of a search-normalized word into `out`: its own row if it is in the
    /// vocabulary, else the mean of its stored n-gram vectors, else zeros.
    pub fn lookup_norm(&self, norm: &str, out: &mut [f32]) -> Found {
        match self.id(norm) {
            Some(id) => {
                self.word_vector(id, out);
                Found::Word(id)
            }
            None => match self.subword_vector(norm, out) {
                0 => Found::Unknown,
                n => Found::Subwords(n),
            },
        }
    }

    /// Writes the row of vocabulary word `id` into `out`.
    pub fn word_vector(&self, id: u32, out: &mut [f32]) {
        out.fill(0.0);
        self.word_rows.add_to(id as usize, 1.0, out);
    }

    /// Writes the mean of the stored n-gram vectors of a search-normalized word into `out`
    /// (zeros if none is stored) and returns how many there were. This is the vector of an
    /// out-of-vocabulary word; for a vocabulary word it leaves out the word's own vector.
    pub fn subword_vector(&self, norm: &str, out: &mut [f32]) -> u32 {
        out.fill(0.0);
        let mut n = 0u32;
        for_each_ngram(
            norm,
            self.minn as usize,
            self.maxn as usize,
            self.buckets,
            |b| {
                if let Ok(row) = self.ngram_ids.binary_search(&b) {
                    self.ngram_rows.add_to(row, 1.0, out);
                    n += 1;
                }
            },
        );
        if n > 1 {
            let inv = 1.0 / n as f32;
            out.iter_mut().for_each(|x| *x *= inv);
        }
        n
    }

    /// The model file's bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::with_header(ModelKind::Embed);
        w.u32(self.dim as u32);
        w.u8(self.minn);
        w.u8(self.maxn);
        w.u32(self.buckets);
        w.u32(self.words.len() as u32);
        for (word, &count) in self.words.iter().zip(&self.counts) {
            w.str(word);
            w.u32(count);
        }
        self.word_rows.write(&mut w);
        w.u32(self.ngram_ids.len() as u32);
        for &b in &self.ngram_ids {
            w.u32(b);
        }
        self.ngram_rows.write(&mut w);
        w.into_inner()
    }

    /// Reads embeddings written by [`Embeddings::to_bytes`]; any other bytes give an error.
    pub fn from_bytes(bytes: &[u8]) -> Result<Embeddings, ModelError> {
        let mut r = Reader::with_header(bytes, ModelKind::Embed)?;
        let dim = r.u32()? as usize;
        if !(1..=MAX_DIM).contains(&dim) {
            return Err(ModelError::Corrupt("vector size"));
        }
        let (minn, maxn) = (r.u8()?, r.u8()?);
        if minn == 0 || minn > maxn || maxn as usize > MAX_NGRAM {
            return Err(ModelError::Corrupt("n-gram lengths"));
        }
        let buckets = r.u32()?;
        if buckets == 0 {
            return Err(ModelError::Corrupt("bucket count"));
        }
        let n_words = r.u32()? as usize;
        // Each word takes at least its length prefix, its count and its row.
        if n_words.saturating_mul(8 + dim + 4) > r.remaining() {
            return Err(ModelError::Truncated);
        }
        let mut words = Vec::with_capacity(n_words);
        let mut counts = Vec::with_capacity(n_words);
        let mut index = FxHashMap::default();
        index.reserve(n_words);
        for i in 0..n_words {
            let w = r.str()?;
            if w.is_empty() {
                return Err(ModelError::Corrupt("empty word"));
            }
            if index.insert(w.clone(), i as u32).is_some() {
                return Err(ModelError::Corrupt("a word listed twice"));
            }
            words.push(w);
            counts.push(r.u32()?);
        }
        let word_rows = Rows::read(&mut r, n_words, dim)?;
        let n_ngrams = r.u32()? as usize;
        if n_ngrams.saturating_mul(4 + dim + 4) > r.remaining() {
            return Err(ModelError::Truncated);
        }
        let mut ngram_ids = Vec::with_capacity(n_ngrams);
        for _ in 0..n_ngrams {
            let b = r.u32()?;
            if b >= buckets || ngram_ids.last().is_some_and(|&last| last >= b) {
                return Err(ModelError::Corrupt("n-gram bucket ids"));
            }
            ngram_ids.push(b);
        }
        let ngram_rows = Rows::read(&mut r, n_ngrams, dim)?;
        if !r.is_at_end() {
            return Err(ModelError::Corrupt("bytes after the last row"));
        }
        Ok(Embeddings {
            dim,
            minn,
            maxn,
            buckets,
            words,
            counts,
            index,
            word_rows,
            ngram_ids,
            ngram_rows,
        })
    }

    /// Reads a model file.
    pub fn load(path: &Path) -> Result<Embeddings, ModelError> {
        let bytes = std::fs::read(path).map_err(|source| ModelError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Embeddings::from_bytes(&bytes)
    }
}

/// The cosine of the angle between `a` and `b` (0 if either is zero).
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    let (mut ab, mut aa, mut bb) = (0f32, 0f32, 0f32);
    for (x, y) in a.iter().zip(b) {
        ab += x * y;
        aa += x * x;
        bb += y * y;
    }
    if aa == 0.0 || bb == 0.0 {
        0.0
    } else {
        ab / (aa.sqrt() * bb.sqrt())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> Embeddings {
        let mut words = Rows::new(3);
        words.push(&[1.0, 0.0, -0.5]);
        words.push(&[0.0, 2.0, 0.0]);
        let mut grams = Rows::new(3);
        let mut ids = Vec::new();
        // Store the n-grams of "علم" only.
        let mut buckets = Vec::new();
        for_each_ngram("علم", 3, 5, 1000, |b| buckets.push(b));
        buckets.sort_unstable();
        buckets.dedup();
        for (i, &b) in buckets.iter().enumerate() {
            ids.push(b);
            grams.push(&[i as f32, 1.0, 0.0]);
        }
        Embeddings::from_parts(
            (3, 5, 1000),
            vec![("في".into(), 10), ("الرياض".into(), 4)],
            words,
            ids,
            grams,
        )
    }

    #[test]
    fn quantized_rows_are_close() {
        let mut rows = Rows::new(4);
        let v = [0.3, -0.71, 0.0, 0.05];
        rows.push(&v);
        rows.push(&[0.0; 4]);
        let mut out = [0.0; 4];
        rows.add_to(0, 1.0, &mut out);
        for (a, b) in v.iter().zip(out) {
            assert!((a - b).abs() <= 0.71 / 254.0 + 1e-6, "{a} vs {b}");
        }
        let mut zero = [0.0; 4];
        rows.add_to(1, 1.0, &mut zero);
        assert_eq!(zero, [0.0; 4]);
    }

    #[test]
    fn lookups_of_known_unknown_and_subword_words() {
        let e = small();
        let mut v = [0.0; 3];
        assert_eq!(e.lookup("الرياض", &mut v), Found::Word(1));
        assert!((v[1] - 2.0).abs() < 0.01);
        // The search normalization is applied: أ → ا, diacritics off.
        assert_eq!(e.lookup("فِي", &mut v), Found::Word(0));
        assert_eq!(e.id("في"), Some(0));
        assert_eq!((e.word(1), e.count(1)), ("الرياض", 4));
        match e.lookup_norm("علم", &mut v) {
            Found::Subwords(n) => assert!(n >= 5, "{n}"),
            other => panic!("{other:?}"),
        }
        assert!((v[1] - 1.0).abs() < 0.01, "mean of rows with 1.0: {v:?}");
        assert_eq!(e.lookup_norm("xyzw", &mut v), Found::Unknown);
        assert_eq!(v, [0.0; 3]);
    }

    #[test]
    fn bytes_round_trip() {
        let e = small();
        let bytes = e.to_bytes();
        let back = Embeddings::from_bytes(&bytes).unwrap();
        assert_eq!(back.to_bytes(), bytes);
        assert_eq!(
            (back.dim(), back.len(), back.ngram_rows()),
            (3, 2, e.ngram_rows())
        );
        assert_eq!(back.ngram_settings(), (3, 5, 1000));
    }

    #[test]
    fn bad_bytes_are_errors() {
        let bytes = small().to_bytes();
        for cut in 0..bytes.len() {
            assert!(
                Embeddings::from_bytes(&bytes[..cut]).is_err(),
                "cut at {cut}"
            );
        }
        let mut extra = bytes.clone();
        extra.push(0);
        assert!(matches!(
            Embeddings::from_bytes(&extra),
            Err(ModelError::Corrupt(_))
        ));
        // A lying word count is refused before anything is allocated for it.
        let mut lying = bytes.clone();
        lying[22..26].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(matches!(
            Embeddings::from_bytes(&lying),
            Err(ModelError::Truncated)
        ));
        let mut dim0 = bytes.clone();
        dim0[12..16].copy_from_slice(&0u32.to_le_bytes());
        assert!(matches!(
            Embeddings::from_bytes(&dim0),
            Err(ModelError::Corrupt("vector size"))
        ));
        let mut grams = bytes.clone();
        grams[16] = 6;
        assert!(matches!(
            Embeddings::from_bytes(&grams),
            Err(ModelError::Corrupt("n-gram lengths"))
        ));
        assert!(matches!(
            Embeddings::from_bytes(b"QLMT\x01\x00\x00\x00ner\x00"),
            Err(ModelError::Kind { .. })
        ));
    }

    /// Found by `cargo fuzz run embed_model`: a row scale of ~5e36 (one byte of a scale set to
    /// 0x7c) was accepted, and scale × 127 overflowed to an infinite vector.
    #[test]
    fn test_huge_row_scales_are_refused() {
        let bytes = small().to_bytes();
        // The first word row's scale follows the header, settings and the two words.
        let at = 26 + (4 + "في".len() + 4) + (4 + "الرياض".len() + 4);
        assert_eq!(
            &bytes[at..at + 4],
            &small().word_rows.scales[0].to_le_bytes()
        );
        for bad in [
            f32::MAX,
            5e36,
            MAX_SCALE * 2.0,
            f32::INFINITY,
            f32::NAN,
            -1.0,
        ] {
            let mut b = bytes.clone();
            b[at..at + 4].copy_from_slice(&bad.to_le_bytes());
            assert!(
                matches!(
                    Embeddings::from_bytes(&b),
                    Err(ModelError::Corrupt("row scale"))
                ),
                "{bad}"
            );
        }
        // The largest scale allowed gives finite vectors, also summed over n-grams.
        let mut rows = Rows::new(2);
        rows.push(&[f32::MAX, -f32::MAX]);
        let mut out = [0f32; 2];
        for _ in 0..1000 {
            rows.add_to(0, 1.0, &mut out);
        }
        assert!(out.iter().all(|x| x.is_finite()));
    }

    #[test]
    fn cosine_of_vectors() {
        assert!((cosine(&[1.0, 0.0], &[2.0, 0.0]) - 1.0).abs() < 1e-6);
        assert!(cosine(&[1.0, 0.0], &[0.0, 3.0]).abs() < 1e-6);
        assert_eq!(cosine(&[0.0, 0.0], &[1.0, 1.0]), 0.0);
    }

    #[test]
    fn the_shipped_model_reads_back_whole_and_is_small() {
        let bytes = include_bytes!("../../models/embed.qlm");
        assert!(bytes.len() <= 50_000_000, "{} bytes", bytes.len());
        let e = Embeddings::from_bytes(bytes).unwrap();
        assert_eq!(e.to_bytes(), bytes.as_slice());
        assert_eq!(e.dim(), 100);
        assert!(e.len() > 50_000 && e.ngram_rows() > 100_000);
        assert!((1..e.len() as u32).all(|i| e.count(i - 1) >= e.count(i)));
    }

    #[test]
    fn the_shipped_model_puts_related_words_together() {
        let e = Embeddings::embedded();
        let vec = |w: &str| {
            let mut v = vec![0f32; e.dim()];
            assert!(matches!(e.lookup(w, &mut v), Found::Word(_)), "{w}");
            v
        };
        // (word, a related word, an unrelated one), each in the vocabulary.
        for (a, near, far) in [
            ("القاهرة", "الإسكندرية", "وزير"),
            ("الموصل", "الفلوجة", "الحكومة"),
            ("محمد", "عبدالكريم", "النفط"),
            ("داعش", "تنظيم", "مستشفى"),
            ("أوباما", "باراك", "جدة"),
            ("الهلال", "النصر", "الشرطة"),
        ] {
            let (a, n, f) = (vec(a), vec(near), vec(far));
            assert!(cosine(&a, &n) > cosine(&a, &f) + 0.2, "{near} / {far}");
        }
        // An unseen word gets its vector from its n-grams, near its stem's.
        let mut oov = vec![0f32; e.dim()];
        assert!(matches!(e.lookup("بالداعشيين", &mut oov), Found::Subwords(n) if n > 10));
        assert!(cosine(&oov, &vec("الداعشيين")) > 0.7);
    }
}
