//! What the network reads per token: the frozen fastText vector of the word (out-of-vocabulary
//! words from their char n-grams) and a few hashed sparse features (word, affixes, shape,
//! name-list types, the perceptron's tag) whose trainable vectors are summed, and the word's
//! characters for the character CNN.

use qalam_text::hash::Fnv1a;
use qalam_text::{Options, normalize_into};

use crate::embed::{Embeddings, Found};
use crate::ner::{Gazetteer, Tag};
use crate::padt::data::{first_chars, last_chars};

/// Sparse features per token (unused slots point at bucket 0, whose vector stays zero).
pub const SLOTS: usize = 12;

/// Character positions per token for the character CNN: a start mark, up to
/// `CHAR_WIDTH - 2` characters (the first and last halves of a longer word), an end mark, then
/// padding (id 0).
pub const CHAR_WIDTH: usize = 14;

/// Character ids: 0 pads, 1 and 2 mark the start and end of the word, the rest are characters.
pub const CHAR_BUCKETS: usize = 512;

/// The id of a character (3 or more).
fn char_id(c: char) -> u32 {
    3 + (c as u32) % (CHAR_BUCKETS as u32 - 3)
}

/// Appends the [`CHAR_WIDTH`] character ids of a normalized word.
fn push_chars(norm: &str, out: &mut Vec<u32>) {
    let start = out.len();
    out.push(1);
    let n = norm.chars().count();
    let room = CHAR_WIDTH - 2;
    if n <= room {
        out.extend(norm.chars().map(char_id));
    } else {
        let head = room / 2;
        out.extend(norm.chars().take(head).map(char_id));
        out.extend(norm.chars().skip(n - (room - head)).map(char_id));
    }
    out.push(2);
    out.resize(start + CHAR_WIDTH, 0);
}

/// The inputs of a batch of tokens: `dim` dense values and [`SLOTS`] sparse ids per token.
#[derive(Clone, Debug, Default)]
pub struct Inputs {
    /// Dense values, `tokens × dim`.
    pub dense: Vec<f32>,
    /// Sparse bucket ids, `tokens × SLOTS`.
    pub sparse: Vec<u32>,
    /// Character ids, `tokens × CHAR_WIDTH`.
    pub chars: Vec<u32>,
}

impl Inputs {
    /// Tokens in the batch.
    pub fn len(&self) -> usize {
        self.sparse.len() / SLOTS
    }

    /// True if the batch has no token.
    pub fn is_empty(&self) -> bool {
        self.sparse.is_empty()
    }

    /// Clears the batch, keeping the buffers.
    pub fn clear(&mut self) {
        self.dense.clear();
        self.sparse.clear();
        self.chars.clear();
    }

    /// Appends all of another batch's tokens.
    pub fn extend(&mut self, other: &Inputs) {
        self.dense.extend_from_slice(&other.dense);
        self.sparse.extend_from_slice(&other.sparse);
        self.chars.extend_from_slice(&other.chars);
    }

    /// Appends `n` gap tokens (all zero, every slot unused).
    pub fn push_gap(&mut self, dim: usize, n: usize) {
        self.dense.resize(self.dense.len() + n * dim, 0.0);
        self.sparse.resize(self.sparse.len() + n * SLOTS, 0);
        self.chars.resize(self.chars.len() + n * CHAR_WIDTH, 0);
    }
}

/// Turns tokens into [`Inputs`].
#[derive(Clone, Copy, Debug)]
pub struct Featurizer<'a> {
    /// The word vectors.
    pub embeddings: &'a Embeddings,
    /// The name lists.
    pub gazetteer: &'a Gazetteer,
    /// Hash buckets of the sparse features.
    pub buckets: u32,
}

/// The bucket of feature `value` in `slot` (never 0).
fn bucket(buckets: u32, slot: u8, value: &[u8]) -> u32 {
    let mut h = Fnv1a::new();
    h.write_u8(slot);
    h.write(value);
    1 + (h.finish() % u64::from(buckets - 1)) as u32
}

/// A coarse shape of a word: which scripts it has, and its length class.
fn shape(norm: &str) -> [u8; 5] {
    let (mut arabic, mut latin, mut digit, mut other) = (0u8, 0u8, 0u8, 0u8);
    for c in norm.chars() {
        if ('\u{0600}'..='\u{06FF}').contains(&c) {
            arabic = 1;
        } else if c.is_ascii_alphabetic() {
            latin = 1;
        } else if c.is_numeric() {
            digit = 1;
        } else {
            other = 1;
        }
    }
    let len = norm.chars().count().min(12) as u8;
    [arabic, latin, digit, other, len]
}

impl Featurizer<'_> {
    /// Dense values per token.
    pub fn dense_dim(&self) -> usize {
        self.embeddings.dim()
    }

    /// Appends the inputs of the words of one sentence; `stacked` are the perceptron's tags of
    /// the same words, if the model reads them.
    pub fn push_sentence(&self, words: &[&str], stacked: Option<&[Tag]>, out: &mut Inputs) {
        let dim = self.dense_dim();
        let mut norm = String::new();
        for (i, w) in words.iter().enumerate() {
            norm.clear();
            normalize_into(w, &Options::SEARCH, &mut norm);
            let start = out.dense.len();
            out.dense.resize(start + dim, 0.0);
            let found = self.embeddings.lookup_norm(&norm, &mut out.dense[start..]);
            let b = self.buckets;
            let mut ids = [0u32; SLOTS];
            ids[0] = bucket(b, 0, norm.as_bytes());
            for n in 1..=3 {
                let head = first_chars(&norm, n);
                if head.len() < norm.len() {
                    ids[n] = bucket(b, n as u8, head.as_bytes());
                    ids[3 + n] = bucket(b, 3 + n as u8, last_chars(&norm, n).as_bytes());
                }
            }
            ids[7] = bucket(b, 7, &shape(&norm));
            let bare = norm
                .strip_prefix('و')
                .filter(|r| r.chars().count() >= 3)
                .unwrap_or(&norm);
            let bare = bare
                .strip_prefix("ال")
                .filter(|r| r.chars().count() >= 2)
                .unwrap_or(bare);
            let kinds = [
                self.gazetteer.kinds_of(&norm),
                self.gazetteer.kinds_of(bare),
            ];
            if kinds != [0, 0] {
                ids[8] = bucket(b, 8, &kinds);
            }
            let seen = match found {
                Found::Word(id) => {
                    let c = self.embeddings.count(id).max(1);
                    1 + (31 - c.leading_zeros()).min(20) as u8
                }
                Found::Subwords(_) => 30,
                Found::Unknown => 31,
            };
            ids[9] = bucket(b, 9, &[seen]);
            if let Some(tags) = stacked {
                let tag = |j: usize| tags.get(j).map_or(255, |t| t.id() as u8);
                ids[10] = bucket(b, 10, &[tag(i)]);
                let prev = if i == 0 { 254 } else { tag(i - 1) };
                ids[11] = bucket(b, 11, &[prev, tag(i), tag(i + 1)]);
            }
            out.sparse.extend_from_slice(&ids);
            push_chars(&norm, &mut out.chars);
        }
    }
}
