//! Word frequencies from unlabelled text: how often a search-normalized word is written on its
//! own. They say whether the first letters of a name are proclitics (وسوريا = و + سوريا, since
//! سوريا is far more frequent than وسوريا) or its own letters (وليد, whose ليد is not a word).

use super::autolex::Unlabelled;
use super::gazetteer::token_key;
use qalam_text::hash::FxHashMap;

use crate::linear::{ModelError, Reader, Writer};

/// Occurrence counts of search-normalized words (by [`token_key`]); rarer words read as 0.
#[derive(Clone, Debug, Default)]
pub struct WordCounts {
    map: FxHashMap<u64, u32>,
}

impl WordCounts {
    /// The counts of the words of `text` seen at least `min_count` times.
    pub fn from_unlabelled(text: &Unlabelled, min_count: u32) -> WordCounts {
        let map = text
            .word_counts()
            .into_iter()
            .filter(|&(_, n)| n >= min_count.max(1))
            .map(|(w, n)| (token_key(w), n))
            .collect();
        WordCounts { map }
    }

    /// Counts from (word, count) pairs (for tests and hand-made resources).
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, u32)>) -> WordCounts {
        let map = pairs.into_iter().map(|(w, n)| (token_key(w), n)).collect();
        WordCounts { map }
    }

    /// How often the search-normalized `word` was seen (0 if rare or unseen).
    pub fn get(&self, word: &str) -> u32 {
        if self.map.is_empty() {
            return 0;
        }
        self.map.get(&token_key(word)).copied().unwrap_or(0)
    }

    /// The number of words with a count.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// True if no word has a count.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Writes the counts, sorted by key (so that the bytes are deterministic).
    pub fn write(&self, w: &mut Writer) {
        let mut entries: Vec<(u64, u32)> = self.map.iter().map(|(&k, &n)| (k, n)).collect();
        entries.sort_unstable();
        w.u32(entries.len() as u32);
        for (k, n) in entries {
            w.u64(k);
            w.u32(n);
        }
    }

    /// Reads counts written by [`WordCounts::write`].
    pub fn read(r: &mut Reader) -> Result<Self, ModelError> {
        let n = r.u32()? as usize;
        let bytes = r.bytes(n.checked_mul(12).ok_or(ModelError::Truncated)?)?;
        let mut map = FxHashMap::default();
        map.reserve(n);
        for c in bytes.chunks_exact(12) {
            let k = u64::from_le_bytes(c[..8].try_into().unwrap_or([0; 8]));
            let v = u32::from_le_bytes(c[8..].try_into().unwrap_or([0; 4]));
            if v == 0 || map.insert(k, v).is_some() {
                return Err(ModelError::Corrupt("word count entry"));
            }
        }
        Ok(WordCounts { map })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_keep_frequent_words_and_round_trip() {
        let mut u = Unlabelled::new();
        u.add_document(["سوريا", "وسوريا", "سوريا", "في", "سوريا"]);
        let c = WordCounts::from_unlabelled(&u, 2);
        assert_eq!(c.get("سوريا"), 3);
        assert_eq!(c.get("وسوريا"), 0);
        assert_eq!(c.len(), 1);
        let mut w = Writer::default();
        c.write(&mut w);
        let bytes = w.into_inner();
        let mut r = Reader::new(&bytes);
        let back = WordCounts::read(&mut r).unwrap();
        assert!(r.is_at_end());
        assert_eq!(back.get("سوريا"), 3);
        let mut dup = bytes[..4].to_vec();
        dup[0] = 2;
        dup.extend_from_slice(&bytes[4..]);
        dup.extend_from_slice(&bytes[4..]);
        assert!(WordCounts::read(&mut Reader::new(&dup)).is_err());
    }
}
