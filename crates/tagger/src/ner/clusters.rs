//! Word clusters: a hierarchical cluster path for frequent search-normalized words.

use super::gazetteer::token_key;
use crate::perceptron::{KeyMap, ModelError, get_str, get_u32, put_str, put_u32};

/// Search-normalized word → cluster path (`coarse << 16 | mid << 8 | fine`, never 0).
#[derive(Clone, Debug, Default)]
pub struct Clusters {
    words: Vec<(String, u32)>,
    map: KeyMap<u32>,
}

impl Clusters {
    /// Clusters from (word, path) pairs; paths of 0 are skipped.
    pub fn from_pairs(pairs: impl IntoIterator<Item = (String, u32)>) -> Self {
        let mut c = Clusters::default();
        for (w, p) in pairs {
            if p != 0 && c.map.insert(token_key(&w), p).is_none() {
                c.words.push((w, p));
            }
        }
        c
    }

    /// The cluster path of a search-normalized word.
    #[inline]
    pub fn get(&self, norm: &str) -> Option<u32> {
        if self.map.is_empty() {
            return None;
        }
        self.map.get(&token_key(norm)).copied()
    }

    /// The number of words with a cluster.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// True if no word has a cluster.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Appends the clusters to `out`.
    pub fn write_to(&self, out: &mut Vec<u8>) {
        put_u32(out, self.words.len() as u32);
        for (w, p) in &self.words {
            put_str(out, w);
            put_u32(out, *p);
        }
    }

    /// Reads clusters written by [`Clusters::write_to`].
    pub fn read_from(input: &mut &[u8]) -> Result<Self, ModelError> {
        let n = get_u32(input)? as usize;
        let mut pairs = Vec::with_capacity(n.min(1 << 20));
        for _ in 0..n {
            let w = get_str(input)?;
            pairs.push((w, get_u32(input)?));
        }
        Ok(Clusters::from_pairs(pairs))
    }
}
