//! The embedded document-frequency table of content-word n-grams.
//!
//! [`DfTable`] maps 1- to 3-word stem n-grams (of [`Words`]) to the number of SaudiNewsNet
//! articles holding them (`data/df.bin`, built by `qalam train df`; CC BY-NC-SA 4.0 like its
//! source, see `data/README.md`). Keys are stored as 64-bit FNV-1a hashes sorted for binary
//! search, so the table is read in place from the binary with no start-up cost.

use std::collections::HashMap;

use crate::words::Words;

/// Longest n-gram of content words counted and scored.
pub const MAX_NGRAM: usize = 3;

/// The key of a stem n-gram given as text (stems separated by single spaces).
pub fn key_of(stems: &str) -> u64 {
    qalam_text::hash::fnv1a(stems.as_bytes())
}

/// Magic bytes at the start of a DF table file.
pub const MAGIC: &[u8; 4] = b"QDF1";
const HEADER: usize = 12;

/// Document frequencies of stem n-grams; read in place from bytes.
#[derive(Clone, Copy, Debug)]
pub struct DfTable<'a> {
    docs: u32,
    hashes: &'a [u8],
    dfs: &'a [u8],
}

static EMBEDDED: &[u8] = include_bytes!("../data/df.bin");

/// Errors reading a DF table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DfFormatError(pub String);

impl std::fmt::Display for DfFormatError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "bad DF table: {}", self.0)
    }
}

impl std::error::Error for DfFormatError {}

impl<'a> DfTable<'a> {
    /// The table learned from SaudiNewsNet and embedded in the binary.
    pub fn embedded() -> DfTable<'static> {
        DfTable::from_bytes(EMBEDDED).expect("embedded DF table is valid")
    }

    /// Reads a table: `QDF1`, documents (u32 LE), entries (u32 LE), sorted u64 LE hashes, u16 LE
    /// document frequencies.
    pub fn from_bytes(bytes: &'a [u8]) -> Result<DfTable<'a>, DfFormatError> {
        if bytes.len() < HEADER || &bytes[..4] != MAGIC {
            return Err(DfFormatError("missing QDF1 header".into()));
        }
        let u32_at = |i: usize| u32::from_le_bytes(bytes[i..i + 4].try_into().expect("4 bytes"));
        let docs = u32_at(4);
        let n = u32_at(8) as usize;
        if bytes.len() != HEADER + n * 10 {
            return Err(DfFormatError(format!(
                "{} bytes for {n} entries (expected {})",
                bytes.len(),
                HEADER + n * 10
            )));
        }
        Ok(DfTable {
            docs,
            hashes: &bytes[HEADER..HEADER + n * 8],
            dfs: &bytes[HEADER + n * 8..],
        })
    }

    /// Number of documents the table was learned from.
    pub fn docs(&self) -> u32 {
        self.docs
    }

    /// Number of n-grams in the table.
    pub fn len(&self) -> usize {
        self.hashes.len() / 8
    }

    /// True when the table holds no n-gram.
    pub fn is_empty(&self) -> bool {
        self.hashes.is_empty()
    }

    fn hash_at(&self, i: usize) -> u64 {
        u64::from_le_bytes(self.hashes[i * 8..i * 8 + 8].try_into().expect("8 bytes"))
    }

    /// Documents holding the n-gram with this key, if it was frequent enough to be kept.
    pub fn get(&self, key: u64) -> Option<u32> {
        // The table keeps 62 bits of each hash (see `DfBuilder::add`).
        let key = key & !(3 << LEN_SHIFT);
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            match self.hash_at(mid).cmp(&key) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => {
                    let d = &self.dfs[mid * 2..mid * 2 + 2];
                    return Some(u32::from(u16::from_le_bytes([d[0], d[1]])));
                }
            }
        }
        None
    }

    /// Smoothed inverse document frequency, `ln((N + 1) / (df + 0.5))`; n-grams missing from the
    /// table count as `unseen` documents.
    pub fn idf(&self, key: u64, unseen: f32) -> f32 {
        let df = self.get(key).map_or(unseen, |d| d as f32);
        ((self.docs as f32 + 1.0) / (df + 0.5)).ln().max(0.0)
    }
}

/// Counts document frequencies of stem n-grams, for `qalam train df`.
#[derive(Clone, Debug, Default)]
pub struct DfBuilder {
    docs: u32,
    counts: HashMap<u64, u32>,
    seen: Vec<u64>,
}

/// Smallest document frequency kept for n-grams of 1, 2 and 3 words.
#[derive(Clone, Copy, Debug)]
pub struct DfPruning {
    /// Minimum DF of single words.
    pub unigrams: u32,
    /// Minimum DF of two-word n-grams.
    pub bigrams: u32,
    /// Minimum DF of three-word n-grams.
    pub trigrams: u32,
}

impl Default for DfPruning {
    fn default() -> Self {
        DfPruning {
            unigrams: 2,
            bigrams: 3,
            trigrams: 4,
        }
    }
}

/// Bit set in a builder's key to remember the n-gram's length (cleared in the table).
const LEN_SHIFT: u32 = 62;

impl DfBuilder {
    /// An empty builder.
    pub fn new() -> DfBuilder {
        DfBuilder::default()
    }

    /// Counts the n-grams of one document.
    pub fn add(&mut self, words: &Words) {
        self.docs += 1;
        self.seen.clear();
        for i in 0..words.len() {
            for n in 1..=MAX_NGRAM {
                if !words.is_ngram(i, n) {
                    break;
                }
                // The top two bits carry the length; the table stores the plain key.
                let key = words.ngram_key(i, n) & !(3 << LEN_SHIFT) | ((n as u64) << LEN_SHIFT);
                self.seen.push(key);
            }
        }
        self.seen.sort_unstable();
        self.seen.dedup();
        for &k in &self.seen {
            *self.counts.entry(k).or_default() += 1;
        }
    }

    /// Documents counted.
    pub fn docs(&self) -> u32 {
        self.docs
    }

    /// The table bytes (see [`DfTable::from_bytes`]) and entries kept for each n-gram length.
    pub fn build(&self, pruning: DfPruning) -> (Vec<u8>, [usize; MAX_NGRAM]) {
        let mut kept: Vec<(u64, u16)> = Vec::new();
        let mut per_len = [0usize; MAX_NGRAM];
        for (&k, &df) in &self.counts {
            let n = (k >> LEN_SHIFT) as usize;
            let min = match n {
                1 => pruning.unigrams,
                2 => pruning.bigrams,
                _ => pruning.trigrams,
            };
            if df >= min {
                per_len[n - 1] += 1;
                kept.push((k & !(3 << LEN_SHIFT), df.min(u32::from(u16::MAX)) as u16));
            }
        }
        kept.sort_unstable();
        // Keys lost their top bits: two n-grams may now share one; keep the larger count.
        kept.dedup_by(|b, a| {
            if a.0 == b.0 {
                a.1 = a.1.max(b.1);
                true
            } else {
                false
            }
        });
        let mut out = Vec::with_capacity(HEADER + kept.len() * 10);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&self.docs.to_le_bytes());
        out.extend_from_slice(&(kept.len() as u32).to_le_bytes());
        for (k, _) in &kept {
            out.extend_from_slice(&k.to_le_bytes());
        }
        for (_, d) in &kept {
            out.extend_from_slice(&d.to_le_bytes());
        }
        (out, per_len)
    }
}

/// Lookups of n-gram keys against a table (`DfTable` as a trait object for tests).
pub trait DocFreq {
    /// Smoothed IDF of the n-gram `key`.
    fn idf(&self, key: u64) -> f32;
    /// True when the n-gram is in the table.
    fn known(&self, key: u64) -> bool;
}

impl DocFreq for DfTable<'_> {
    fn idf(&self, key: u64) -> f32 {
        DfTable::idf(self, key, 1.0)
    }
    fn known(&self, key: u64) -> bool {
        self.get(key).is_some()
    }
}

/// Where a document stands in the split of `qalam train df --holdout N`: left out of the table
/// (1 in N by an FNV-1a hash of its id) for the evaluations, half of those for tuning (dev) and
/// half for reporting (test).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeldOut {
    /// Held out, for tuning.
    Dev,
    /// Held out, for reporting.
    Test,
}

/// The held-out half of the document with this id under `--holdout every`, or `None` when the
/// table counts it (always for `every` 0).
pub fn held_out(id: &str, every: u64) -> Option<HeldOut> {
    if every == 0 {
        return None;
    }
    let h = qalam_text::hash::fnv1a(id.as_bytes());
    if !h.is_multiple_of(every) {
        return None;
    }
    Some(if (h / every).is_multiple_of(2) {
        HeldOut::Dev
    } else {
        HeldOut::Test
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builder_round_trips_through_bytes() {
        let mut b = DfBuilder::new();
        for text in ["الملك سلمان في جدة", "الملك سلمان يزور مصر", "أمطار في جدة"]
        {
            b.add(&Words::new(text));
        }
        let (bytes, per_len) = b.build(DfPruning {
            unigrams: 2,
            bigrams: 2,
            trigrams: 2,
        });
        assert_eq!(per_len, [3, 1, 0]);
        let t = DfTable::from_bytes(&bytes).unwrap();
        assert_eq!(t.docs(), 3);
        assert_eq!(t.get(key_of("ملك")), Some(2));
        assert_eq!(t.get(key_of("جد")), Some(2));
        assert_eq!(t.get(key_of("ملك سلم")), Some(2));
        assert_eq!(t.get(key_of("مصر")), None);
        assert!(t.idf(key_of("مصر"), 1.0) > t.idf(key_of("ملك"), 1.0));
        assert!(DfTable::from_bytes(&bytes[..bytes.len() - 1]).is_err());
    }

    #[test]
    fn embedded_table_knows_common_words() {
        let t = DfTable::embedded();
        assert!(t.docs() > 25_000, "{}", t.docs());
        let common = t.get(key_of("ملك")).unwrap();
        let rare = t.get(key_of("موصل")).unwrap_or(0);
        assert!(common > rare, "{common} {rare}");
    }

    #[test]
    fn held_out_split_by_id_hash() {
        // FNV-1a of "a" is 0xaf63dc4c8601ec8c = 12638187200555641996: even (held out under
        // --holdout 2); divided by 2 it is 6319093600277820998, even again: dev. Under
        // --holdout 3 (remainder 1) the table counts it.
        assert_eq!(qalam_text::hash::fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(held_out("a", 2), Some(HeldOut::Dev));
        assert_eq!(held_out("a", 3), None);
        assert_eq!(held_out("a", 0), None);
        assert_eq!(held_out("a", 1), Some(HeldOut::Dev));
        // About one in ten ids is held out, split about evenly.
        let ids: Vec<String> = (0..10_000).map(|i| format!("doc-{i}")).collect();
        let out: Vec<HeldOut> = ids.iter().filter_map(|id| held_out(id, 10)).collect();
        assert!((800..1200).contains(&out.len()), "{}", out.len());
        let dev = out.iter().filter(|h| **h == HeldOut::Dev).count();
        assert!((300..700).contains(&dev), "{dev} of {}", out.len());
    }
}
