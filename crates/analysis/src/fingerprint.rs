//! Near-duplicate fingerprints: MinHash over shingles of light-stemmed content words, with LSH
//! bands for finding candidates and a union-find clusterer.
//!
//! Shingles are [`SHINGLE`] consecutive content words of the body (stopwords, numbers and
//! punctuation dropped, sentence breaks ignored), so clitic and spelling variants (`فى`/`في`,
//! `ى`/`ي`, `بالموصل`/`الموصل`), moved paragraphs and a new headline barely change the set.
//! Two texts are near-duplicates when the estimated Jaccard similarity of their shingle sets is at
//! least [`Thresholds::jaccard`], or when the shorter is mostly contained in the longer (a copy
//! with paragraphs cut).
//!
//! ```
//! use qalam_analysis::words::Words;
//! use qalam_analysis::fingerprint::{MinHash, Thresholds};
//!
//! let a = "أعلنت وزارة الصحة فى الرياض تسجيل إصابات جديدة بفيروس كورونا بين العاملين فى المستشفى الجامعي";
//! let b = "وأعلنت وزارة الصحة في الرياض تسجيل إصابات جديدة بفيروس كورونا بين العاملين في المستشفى الجامعي";
//! let (x, y) = (MinHash::of(&Words::new(a)), MinHash::of(&Words::new(b)));
//! assert!(x.jaccard(&y) > 0.9);
//! assert!(Thresholds::default().near(&x, &y).is_some());
//! ```

use std::collections::HashMap;

use qalam_text::hash::splitmix64;

use crate::words::Words;

/// Content words per shingle.
pub const SHINGLE: usize = 3;
/// Hash functions (values) of a signature.
pub const PERMUTATIONS: usize = 128;
/// LSH bands.
pub const BANDS: usize = 42;
/// Values per LSH band.
pub const ROWS: usize = 3;
/// Bytes of a serialized signature: shingle count (u32 LE), then the 16-bit values (LE).
pub const BYTES: usize = 4 + 2 * PERMUTATIONS;

/// A MinHash signature: the lowest 16 bits of each of [`PERMUTATIONS`] minimum hashes (b-bit
/// MinHash) and the number of distinct shingles.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MinHash {
    /// Minimum hash values.
    pub values: [u16; PERMUTATIONS],
    /// Distinct shingles of the text (0 for a text without content words).
    pub shingles: u32,
}

/// Multipliers (odd) and offsets of the hash functions `h -> a * h + b`.
fn seeds() -> &'static [(u64, u64); PERMUTATIONS] {
    static SEEDS: std::sync::OnceLock<[(u64, u64); PERMUTATIONS]> = std::sync::OnceLock::new();
    SEEDS.get_or_init(|| {
        let mut s = [(0, 0); PERMUTATIONS];
        for (i, e) in s.iter_mut().enumerate() {
            *e = (splitmix64(2 * i as u64) | 1, splitmix64(2 * i as u64 + 1));
        }
        s
    })
}

impl MinHash {
    /// The signature of a text's content words.
    pub fn of(words: &Words) -> MinHash {
        let n = words.len();
        let mut hashes: Vec<u64> = Vec::with_capacity(n);
        if n > 0 {
            let k = SHINGLE.min(n);
            let stems: Vec<u64> = (0..n).map(|i| words.ngram_key(i, 1)).collect();
            for w in stems.windows(k) {
                let mut h = 0u64;
                for &s in w {
                    h = splitmix64(h ^ s);
                }
                hashes.push(h);
            }
            hashes.sort_unstable();
            hashes.dedup();
        }
        let mut mins = [u64::MAX; PERMUTATIONS];
        for &h in &hashes {
            for (m, &(a, b)) in mins.iter_mut().zip(seeds()) {
                // Multiply-add mod 2^64, then keep the well-mixed high half for the minimum.
                let v = a.wrapping_mul(h).wrapping_add(b).rotate_left(32);
                if v < *m {
                    *m = v;
                }
            }
        }
        let mut values = [0u16; PERMUTATIONS];
        for (v, m) in values.iter_mut().zip(mins) {
            *v = m as u16;
        }
        MinHash {
            values,
            shingles: hashes.len() as u32,
        }
    }

    /// Estimated Jaccard similarity of the two shingle sets (0 when either text is empty).
    pub fn jaccard(&self, other: &MinHash) -> f32 {
        if self.shingles == 0 || other.shingles == 0 {
            return 0.0;
        }
        let same = self
            .values
            .iter()
            .zip(&other.values)
            .filter(|(a, b)| a == b)
            .count();
        // b-bit correction: unequal minima still agree in 16 bits with probability 2^-16.
        let r = 1.0 / 65536.0;
        ((same as f32 / PERMUTATIONS as f32 - r) / (1.0 - r)).max(0.0)
    }

    /// Estimated share of the smaller shingle set that is in the larger one.
    pub fn containment(&self, other: &MinHash) -> f32 {
        let j = self.jaccard(other);
        let (a, b) = (self.shingles as f32, other.shingles as f32);
        if j <= 0.0 {
            return 0.0;
        }
        (j * (a + b) / ((1.0 + j) * a.min(b))).min(1.0)
    }

    /// The LSH band keys: one 64-bit hash per band (band number included).
    pub fn bands(&self) -> [u64; BANDS] {
        let mut out = [0u64; BANDS];
        for (band, o) in out.iter_mut().enumerate() {
            let mut h = splitmix64(band as u64 + 0x5151);
            for &v in &self.values[band * ROWS..(band + 1) * ROWS] {
                h = splitmix64(h ^ u64::from(v));
            }
            *o = h;
        }
        out
    }

    /// The band keys as text (16 hex digits each, as `qalam analyze --fingerprint` shows them);
    /// none for a text without content words, which is nobody's near-duplicate.
    pub fn band_terms(&self) -> Vec<String> {
        if self.shingles == 0 {
            return Vec::new();
        }
        self.bands().iter().map(|k| format!("{k:016x}")).collect()
    }

    /// The bands as exact values, the index's `lsh` terms: the band number above its [`ROWS`]
    /// 16-bit values (`band << 48 | v0 << 32 | v1 << 16 | v2`), so two signatures share a value
    /// exactly when they agree on that band; none for a text without content words.
    pub fn band_values(&self) -> Vec<u64> {
        const _: () = assert!(ROWS * 16 <= 48 && BANDS < 1 << 16);
        if self.shingles == 0 {
            return Vec::new();
        }
        self.values
            .chunks_exact(ROWS)
            .take(BANDS)
            .enumerate()
            .map(|(band, rows)| {
                rows.iter()
                    .fold(band as u64, |key, &v| key << 16 | u64::from(v))
            })
            .collect()
    }

    /// The serialized signature ([`BYTES`] bytes).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(BYTES);
        out.extend_from_slice(&self.shingles.to_le_bytes());
        for v in &self.values {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out
    }

    /// Reads a signature written by [`to_bytes`](Self::to_bytes); `None` if the length is wrong.
    pub fn from_bytes(bytes: &[u8]) -> Option<MinHash> {
        if bytes.len() != BYTES {
            return None;
        }
        let mut values = [0u16; PERMUTATIONS];
        for (v, c) in values.iter_mut().zip(bytes[4..].chunks_exact(2)) {
            *v = u16::from_le_bytes([c[0], c[1]]);
        }
        Some(MinHash {
            values,
            shingles: u32::from_le_bytes(bytes[..4].try_into().ok()?),
        })
    }
}

/// When two signatures count as near-duplicates.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Thresholds {
    /// Estimated Jaccard similarity at or above which two texts are copies.
    pub jaccard: f32,
    /// Containment of the shorter text at or above which it is a cut copy…
    pub containment: f32,
    /// …provided the Jaccard similarity is at least this.
    pub min_jaccard: f32,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            jaccard: 0.5,
            containment: 0.8,
            min_jaccard: 0.25,
        }
    }
}

impl Thresholds {
    /// The estimated Jaccard similarity if the two texts are near-duplicates.
    pub fn near(&self, a: &MinHash, b: &MinHash) -> Option<f32> {
        let j = a.jaccard(b);
        let cut_copy = j >= self.min_jaccard && a.containment(b) >= self.containment;
        (j >= self.jaccard || cut_copy).then_some(j)
    }
}

/// Groups signatures into clusters of near-duplicates (LSH candidates, then union-find).
#[derive(Clone, Debug, Default)]
pub struct Clusterer {
    /// Thresholds of a link.
    pub thresholds: Thresholds,
    sigs: Vec<MinHash>,
    buckets: HashMap<u64, Vec<u32>>,
    parent: Vec<u32>,
    /// Similarity of each linked pair found (lower index first).
    pub links: Vec<(u32, u32, f32)>,
}

impl Clusterer {
    /// An empty clusterer with these thresholds.
    pub fn new(thresholds: Thresholds) -> Clusterer {
        Clusterer {
            thresholds,
            ..Clusterer::default()
        }
    }

    fn find(&mut self, mut i: u32) -> u32 {
        while self.parent[i as usize] != i {
            let p = self.parent[self.parent[i as usize] as usize];
            self.parent[i as usize] = p;
            i = p;
        }
        i
    }

    /// Adds a signature; returns its number and the best earlier near-duplicate with its
    /// similarity, if any.
    pub fn add(&mut self, sig: MinHash) -> (u32, Option<(u32, f32)>) {
        let id = self.sigs.len() as u32;
        self.parent.push(id);
        let mut best: Option<(u32, f32)> = None;
        let mut seen: Vec<u32> = Vec::new();
        if sig.shingles > 0 {
            for key in sig.bands() {
                let bucket = self.buckets.entry(key).or_default();
                for &other in bucket.iter() {
                    if !seen.contains(&other) {
                        seen.push(other);
                    }
                }
                bucket.push(id);
            }
        }
        for other in seen {
            if let Some(j) = self.thresholds.near(&sig, &self.sigs[other as usize]) {
                self.links.push((other, id, j));
                let (ra, rb) = (self.find(other), self.find(id));
                if ra != rb {
                    // The earlier document's root stays the root.
                    let (lo, hi) = (ra.min(rb), ra.max(rb));
                    self.parent[hi as usize] = lo;
                }
                if best.is_none_or(|(_, b)| j > b) {
                    best = Some((other, j));
                }
            }
        }
        self.sigs.push(sig);
        (id, best)
    }

    /// The cluster of every signature added: the number of its earliest member.
    pub fn clusters(&mut self) -> Vec<u32> {
        (0..self.sigs.len() as u32).map(|i| self.find(i)).collect()
    }

    /// The signature with this number.
    pub fn signature(&self, i: u32) -> &MinHash {
        &self.sigs[i as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sig(text: &str) -> MinHash {
        MinHash::of(&Words::new(text))
    }

    #[test]
    fn bytes_round_trip() {
        let s = sig("أعلنت وزارة الصحة تسجيل إصابات جديدة بفيروس كورونا");
        assert_eq!(MinHash::from_bytes(&s.to_bytes()), Some(s.clone()));
        assert_eq!(s.to_bytes().len(), BYTES);
        assert_eq!(MinHash::from_bytes(&[0; 7]), None);
    }

    #[test]
    fn band_values_hold_each_band_exactly() {
        let a = sig("أعلنت وزارة الصحة تسجيل إصابات جديدة بفيروس كورونا في الرياض");
        let mut b = a.clone();
        b.values[4] ^= 1; // band 1
        let (va, vb) = (a.band_values(), b.band_values());
        assert_eq!(va.len(), BANDS);
        let v = &a.values;
        let band1 = 1 << 48 | u64::from(v[3]) << 32 | u64::from(v[4]) << 16 | u64::from(v[5]);
        assert_eq!(va[1], band1);
        let (ka, kb) = (a.bands(), b.bands());
        for band in 0..BANDS {
            assert_eq!(va[band] == vb[band], ka[band] == kb[band], "band {band}");
            assert_eq!(va[band] >> 48, band as u64);
        }
        assert!(sig("في من إلى").band_values().is_empty());
    }

    #[test]
    fn empty_texts_match_nothing() {
        let e = sig("في من إلى");
        assert_eq!(e.shingles, 0);
        assert_eq!(e.jaccard(&e), 0.0);
        assert_eq!(Thresholds::default().near(&e, &e), None);
    }

    #[test]
    fn identical_texts_have_similarity_one() {
        let s = sig("افتتح الأمير مشروع المياه الجديد في جدة بحضور المسؤولين");
        assert!((s.jaccard(&s) - 1.0).abs() < 1e-3);
    }

    #[test]
    fn clusterer_links_transitively_to_the_earliest() {
        let base = "افتتح أمير منطقة مكة المكرمة مشروع تحلية المياه الجديد في محافظة جدة بطاقة إنتاجية تبلغ مئات الآلاف من الأمتار المكعبة يوميا لخدمة السكان والمصانع";
        let other = "فاز فريق الهلال على نظيره النصر في مباراة الدوري السعودي للمحترفين التي أقيمت على ملعب الملك فهد الدولي بالرياض أمام جمهور غفير";
        let mut c = Clusterer::default();
        c.add(sig(base));
        c.add(sig(other));
        let (_, best) = c.add(sig(&format!("{base} وأكد المسؤولون أهمية المشروع")));
        assert_eq!(best.map(|b| b.0), Some(0));
        assert_eq!(c.clusters(), [0, 1, 0]);
    }
}
