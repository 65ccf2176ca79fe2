//! Self-trained type evidence from unlabelled text: a context model (one that never read the
//! token's own identity) tags a large corpus, and each word keeps how often it was tagged with each
//! entity type. Aggregated over many contexts, this says e.g. that a name new since the labelled
//! data was written is an organisation.

use std::collections::HashMap;

use super::gazetteer::token_key;
use super::stacking::History;
use qalam_text::hash::FxHashMap;

use crate::linear::{ModelError, Reader, Writer};

/// Unlabelled text as sentences of interned search-normalized tokens.
#[derive(Clone, Debug, Default)]
pub struct Unlabelled {
    vocab: Vec<String>,
    ids: HashMap<String, u32>,
    tokens: Vec<u32>,
    ends: Vec<usize>,
}

/// Longest sentence kept whole in [`Unlabelled`]; longer runs are cut.
const MAX_SENTENCE: usize = 120;

impl Unlabelled {
    /// An empty corpus.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the tokens of one document, cut into sentences after `.`, `!`, `?` and `؟`.
    pub fn add_document<'a>(&mut self, tokens: impl IntoIterator<Item = &'a str>) {
        let mut len = 0;
        for t in tokens {
            let id = match self.ids.get(t) {
                Some(&id) => id,
                None => {
                    let id = self.vocab.len() as u32;
                    self.vocab.push(t.to_string());
                    self.ids.insert(t.to_string(), id);
                    id
                }
            };
            self.tokens.push(id);
            len += 1;
            if len >= MAX_SENTENCE || matches!(t, "." | "!" | "?" | "؟") {
                self.ends.push(self.tokens.len());
                len = 0;
            }
        }
        if len > 0 {
            self.ends.push(self.tokens.len());
        }
    }

    /// The number of tokens.
    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    /// True if there is no token.
    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    /// Every distinct word with its number of occurrences, in first-seen order.
    pub fn word_counts(&self) -> Vec<(&str, u32)> {
        let mut counts = vec![0u32; self.vocab.len()];
        for &t in &self.tokens {
            counts[t as usize] += 1;
        }
        self.vocab.iter().map(String::as_str).zip(counts).collect()
    }

    /// Calls `f` with the tokens of each sentence, in order.
    pub fn for_each_sentence(&self, mut f: impl FnMut(&[&str])) {
        let mut start = 0;
        let mut words: Vec<&str> = Vec::new();
        for &end in &self.ends {
            words.clear();
            words.extend(
                self.tokens[start..end]
                    .iter()
                    .map(|&i| self.vocab[i as usize].as_str()),
            );
            f(&words);
            start = end;
        }
    }
}

/// Per word (by the key of its clitic-stripped form): how often a context model tagged it O,
/// PERS, LOC, ORG, MISC in unlabelled text, kept as a frequency bucket and per-type share buckets.
#[derive(Clone, Debug, Default)]
pub struct AutoLexicon {
    map: FxHashMap<u64, Evidence>,
}

/// What the unlabelled text says about one word.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Evidence {
    /// log2 of the occurrence count, capped at 15.
    pub freq: u8,
    /// Share of the occurrences tagged with each kind (PERS, LOC, ORG, MISC), in tenths (0–10).
    pub share: [u8; 4],
}

impl Evidence {
    /// The kind with the largest share and that share, if any share is above 0.
    pub fn top(&self) -> Option<(usize, u8)> {
        let (k, &s) = self
            .share
            .iter()
            .enumerate()
            .max_by_key(|&(k, &s)| (s, std::cmp::Reverse(k)))?;
        (s > 0).then_some((k, s))
    }
}

impl AutoLexicon {
    /// Keeps the words of `counts` seen at least `min_count` times with an entity share above 0.
    pub(crate) fn from_counts(counts: &History, min_count: u32) -> AutoLexicon {
        let mut map = FxHashMap::default();
        for (k, c) in counts.iter() {
            let total: u32 = c.iter().sum();
            if total < min_count {
                continue;
            }
            let share = [1, 2, 3, 4].map(|s| ((c[s] * 10 + total / 2) / total).min(10) as u8);
            if share.iter().all(|&s| s == 0) {
                continue;
            }
            let freq = (31 - total.leading_zeros()).min(15) as u8;
            map.insert(k, Evidence { freq, share });
        }
        AutoLexicon { map }
    }

    /// The evidence for a word key (from [`token_key`] of its clitic-stripped form).
    #[inline]
    pub fn get(&self, key: u64) -> Option<Evidence> {
        if self.map.is_empty() {
            return None;
        }
        self.map.get(&key).copied()
    }

    /// The evidence for a clitic-stripped, search-normalized word.
    pub fn get_word(&self, strip: &str) -> Option<Evidence> {
        self.get(token_key(strip))
    }

    /// The number of words with evidence.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// True if no word has evidence.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Writes the lexicon, sorted by key (so that the bytes are deterministic).
    pub fn write(&self, w: &mut Writer) {
        let mut entries: Vec<(&u64, &Evidence)> = self.map.iter().collect();
        entries.sort_unstable_by_key(|(k, _)| **k);
        w.u32(entries.len() as u32);
        for (k, e) in entries {
            w.u64(*k);
            w.u8(e.freq);
            w.bytes(&e.share);
        }
    }

    /// Reads a lexicon written by [`AutoLexicon::write`].
    pub fn read(r: &mut Reader) -> Result<Self, ModelError> {
        let n = r.u32()? as usize;
        let bytes = r.bytes(n.checked_mul(13).ok_or(ModelError::Truncated)?)?;
        let mut map = FxHashMap::default();
        map.reserve(n);
        for c in bytes.chunks_exact(13) {
            let k = u64::from_le_bytes(c[..8].try_into().unwrap_or([0; 8]));
            let share = [c[9], c[10], c[11], c[12]];
            if c[8] > 15 || share.iter().any(|&s| s > 10) {
                return Err(ModelError::Corrupt("auto lexicon entry"));
            }
            map.insert(k, Evidence { freq: c[8], share });
        }
        Ok(AutoLexicon { map })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_become_shares_and_round_trip() {
        let mut c = History::default();
        let (a, b) = (token_key("داعش"), token_key("قال"));
        // 3 of 4 occurrences of a tagged ORG (B or I), none of b tagged at all.
        c.add(&[a, b, 0], &[5, 0, 1]);
        c.add(&[a, a, b], &[6, 0, 0]);
        c.add(&[a], &[5]);
        let lex = AutoLexicon::from_counts(&c, 2);
        let e = lex.get(a).unwrap();
        assert_eq!(e.share, [0, 0, 8, 0]);
        assert_eq!(e.freq, 2);
        assert_eq!(e.top(), Some((2, 8)));
        assert!(lex.get(b).is_none());
        assert!(AutoLexicon::from_counts(&c, 5).is_empty());
        let mut w = Writer::default();
        lex.write(&mut w);
        let bytes = w.into_inner();
        let mut input = Reader::new(&bytes);
        let back = AutoLexicon::read(&mut input).unwrap();
        assert!(input.is_at_end());
        assert_eq!(back.get(a), Some(e));
    }

    #[test]
    fn unlabelled_text_is_cut_into_sentences() {
        let mut u = Unlabelled::new();
        u.add_document(["قال", "داعش", ".", "في", "الموصل"]);
        u.add_document(["x"]);
        let mut got = Vec::new();
        u.for_each_sentence(|s| got.push(s.join(" ")));
        assert_eq!(got, ["قال داعش .", "في الموصل", "x"]);
        assert_eq!(u.len(), 6);
    }
}
