//! The content words of a text: the view shared by keyphrases, summaries, fingerprints and DF
//! training.
//!
//! [`Words`] holds the light stems of SEARCH-normalized, non-stopword words, with their byte
//! spans, sentence numbers and a mark where an n-gram may not continue (a stopword, number or
//! punctuation between them).

use std::ops::Range;

use qalam_morph::light_stem_into;
use qalam_text::stopwords::is_stopword;
use qalam_text::{
    Options, Sentence, SentenceSplitter, Token, TokenKind, Tokenizer, normalize_token,
};

use crate::Analysis;
use qalam_text::hash::Fnv1a;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::df::key_of;

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
        let a = crate::Pipeline::new(crate::PipelineOptions {
            entities: crate::EntityModel::Off,
            ..crate::PipelineOptions::default()
        })
        .unwrap()
        .analyze(text);
        let (x, y) = (Words::new(text), Words::from_analysis(&a));
        assert_eq!(x.words, y.words);
        assert_eq!(x.arena, y.arena);
        let z = Words::from_tokens(&qalam_text::tokenize(text), &a.sentences);
        assert_eq!(x.words, z.words);
    }
}
