//! Content words of a text and the embedded document-frequency table of their n-grams.
//!
//! [`Words`] is the view shared by keyphrases, summaries, fingerprints and DF training: the
//! light stems of SEARCH-normalized, non-stopword words, with their byte spans, sentence numbers
//! and a mark where an n-gram may not continue (a stopword, number or punctuation between them).
//!
//! [`DfTable`] maps 1- to 3-word stem n-grams to the number of SaudiNewsNet articles holding
//! them (`data/df.bin`, built by `qalam train df`; CC BY-NC-SA 4.0 like its source, see
//! `data/README.md`). Keys are stored as 64-bit FNV-1a hashes sorted for binary search, so the
//! table is read in place from the binary with no start-up cost.

use std::collections::HashMap;
use std::ops::Range;

use qalam_morph::light_stem_into;
use qalam_text::hash::Fnv1a;
use qalam_text::stopwords::is_stopword;
use qalam_text::{
    Options, Sentence, SentenceSplitter, Token, TokenKind, Tokenizer, normalize_token,
};

use crate::Analysis;

/// Longest n-gram of content words counted and scored.
pub const MAX_NGRAM: usize = 3;

/// One content word: its stem and where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    /// Byte range of the stem in [`Words::arena`].
    stem: Range<u32>,
    /// Byte offset of the word in the original text.
    pub start: usize,
    /// Byte offset one past the word's end.
    pub end: usize,
    /// Index of the sentence holding the word.
    pub sentence: u32,
    /// True when this word may continue an n-gram begun by the previous content word.
    pub joined: bool,
}

/// The content words of a text, in order.
#[derive(Clone, Debug, Default)]
pub struct Words {
    arena: String,
    /// The words.
    pub words: Vec<Word>,
    /// Number of sentences of the text.
    pub sentences: usize,
}

/// True for a normalized word that carries content (no stopword, at least two letters).
fn is_content(kind: TokenKind, norm: &str) -> bool {
    match kind {
        TokenKind::Word | TokenKind::Latin | TokenKind::Hashtag => {
            norm.chars().nth(1).is_some() && !is_stopword(norm)
        }
        _ => false,
    }
}

/// Incremental builder of [`Words`].
struct Push<'a> {
    out: &'a mut Words,
    stem: String,
    joined: bool,
    sentence: u32,
}

impl Push<'_> {
    fn token(&mut self, kind: TokenKind, start: usize, end: usize, norm: &str) {
        if !is_content(kind, norm) {
            self.joined = false;
            return;
        }
        light_stem_into(norm, &mut self.stem);
        if self.stem.is_empty() {
            self.joined = false;
            return;
        }
        let a = self.out.arena.len() as u32;
        self.out.arena.push_str(&self.stem);
        self.out.words.push(Word {
            stem: a..self.out.arena.len() as u32,
            start,
            end,
            sentence: self.sentence,
            joined: self.joined,
        });
        self.joined = true;
    }

    fn sentence_break(&mut self, sentence: u32) {
        self.sentence = sentence;
        self.joined = false;
    }
}

/// Index of the sentence holding byte `at`, advancing `cursor` monotonically.
fn sentence_of(sentences: &[Sentence], cursor: &mut usize, at: usize) -> Option<u32> {
    let before = *cursor;
    while *cursor + 1 < sentences.len() && sentences[*cursor + 1].start <= at {
        *cursor += 1;
    }
    (*cursor != before).then_some(*cursor as u32)
}

impl Words {
    /// Content words of `text` (tokenized, normalized and split into sentences here).
    pub fn new(text: &str) -> Words {
        let mut words = Words::default();
        words.fill(text);
        words
    }

    /// Recomputes the content words of `text`, reusing this value's buffers.
    pub fn fill(&mut self, text: &str) {
        self.arena.clear();
        self.words.clear();
        let spans = Tokenizer.spans(text);
        let sentences = SentenceSplitter::default().split(text, &spans);
        self.sentences = sentences.len();
        let mut push = Push {
            out: self,
            stem: String::new(),
            joined: false,
            sentence: 0,
        };
        let mut norm = String::new();
        let mut cursor = 0;
        for s in spans {
            if let Some(i) = sentence_of(&sentences, &mut cursor, s.start) {
                push.sentence_break(i);
            }
            normalize_token(&text[s.start..s.end], s.kind, &Options::SEARCH, &mut norm);
            push.token(s.kind, s.start, s.end, &norm);
        }
    }

    /// Content words of an analysed document (its tokens' normalized forms are reused).
    pub fn from_analysis(analysis: &Analysis) -> Words {
        let tokens = analysis.tokens.iter();
        Words::collect(
            &analysis.sentences,
            tokens.map(|t| (t.kind, t.start, t.end, &*t.norm)),
        )
    }

    /// Content words of tokens (from [`qalam_text::tokenize`]) and their sentences.
    pub fn from_tokens(tokens: &[Token], sentences: &[Sentence]) -> Words {
        Words::collect(
            sentences,
            tokens.iter().map(|t| (t.kind, t.start, t.end, &*t.norm)),
        )
    }

    /// Content words of (kind, start, end, normalized form) tokens in order.
    fn collect<'a>(
        sentences: &[Sentence],
        tokens: impl Iterator<Item = (TokenKind, usize, usize, &'a str)>,
    ) -> Words {
        let mut words = Words {
            sentences: sentences.len(),
            ..Words::default()
        };
        let mut push = Push {
            out: &mut words,
            stem: String::new(),
            joined: false,
            sentence: 0,
        };
        let mut cursor = 0;
        for (kind, start, end, norm) in tokens {
            if let Some(i) = sentence_of(sentences, &mut cursor, start) {
                push.sentence_break(i);
            }
            push.token(kind, start, end, norm);
        }
        words
    }

    /// The stem of word `i`.
    pub fn stem(&self, i: usize) -> &str {
        let r = &self.words[i].stem;
        &self.arena[r.start as usize..r.end as usize]
    }

    /// Number of content words.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// True when the text has no content word.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// True when words `i..i + n` form an n-gram (consecutive, with nothing between them).
    pub fn is_ngram(&self, i: usize, n: usize) -> bool {
        i + n <= self.words.len() && self.words[i + 1..i + n].iter().all(|w| w.joined)
    }

    /// The 64-bit key of the n-gram of words `i..i + n` (stems joined by a space).
    pub fn ngram_key(&self, i: usize, n: usize) -> u64 {
        let mut h = Fnv1a::new();
        for k in i..i + n {
            if k > i {
                h.write(b" ");
            }
            h.write(self.stem(k).as_bytes());
        }
        h.finish()
    }
}

/// FNV-1a, 64 bits: the hash of the table's keys (stable across builds and platforms), under
/// the name `stories` and the CLI use.
pub use qalam_text::hash::Fnv1a as Fnv;

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_skip_stopwords_and_break_ngrams() {
        let text = "زار الملك سلمان مدينة الرياض في يوم 12. ثم عاد الملك";
        let w = Words::new(text);
        let stems: Vec<&str> = (0..w.len()).map(|i| w.stem(i)).collect();
        assert_eq!(
            stems,
            ["زار", "ملك", "سلم", "مدين", "رياض", "يوم", "عاد", "ملك"]
        );
        assert!(w.is_ngram(0, 3));
        assert!(!w.is_ngram(4, 2), "a stopword separates الرياض and يوم");
        assert_eq!(w.words[6].sentence, 1);
        assert!(!w.words[6].joined);
        assert_eq!(&text[w.words[1].start..w.words[1].end], "الملك");
        assert_eq!(w.ngram_key(1, 1), w.ngram_key(7, 1));
        assert_eq!(w.ngram_key(1, 2), key_of("ملك سلم"));
    }

    #[test]
    fn from_analysis_matches_new() {
        let text = "قال د. محمد فى القاهرة إن الأمطار غزيرة.\nوعاد إلى الرياض";
        let a = crate::Pipeline {
            entities: false,
            ..crate::Pipeline::default()
        }
        .analyze(text);
        let (x, y) = (Words::new(text), Words::from_analysis(&a));
        assert_eq!(x.words, y.words);
        assert_eq!(x.arena, y.arena);
        let z = Words::from_tokens(&qalam_text::tokenize(text), &a.sentences);
        assert_eq!(x.words, z.words);
    }

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
}
