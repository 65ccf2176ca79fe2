//! qalam's text core as tantivy analysis: a tokenizer whose tokens point into the original text
//! and carry normalized forms, and composable stopword and stemmer filters.
//!
//! ```
//! use qalam_index::analyzer::{ArabicTokenizer, StemFilter, StopwordFilter};
//! use tantivy::tokenizer::{TextAnalyzer, TokenStream};
//!
//! let mut analyzer = TextAnalyzer::builder(ArabicTokenizer::default())
//!     .filter(StopwordFilter)
//!     .filter(StemFilter::by_name("light").unwrap())
//!     .build();
//! let text = "ذهب إلى المدرسة";
//! let mut stream = analyzer.token_stream(text);
//! let mut tokens = Vec::new();
//! while let Some(t) = stream.next() {
//!     tokens.push((t.text.clone(), &text[t.offset_from..t.offset_to]));
//! }
//! assert_eq!(tokens, [("ذهب".to_string(), "ذهب"), ("مدرس".to_string(), "المدرسة")]);
//! ```

use std::fmt;
use std::sync::Arc;

use qalam_text::{Options, Span, TokenKind, normalize_token};
use serde::{Deserialize, Serialize};
use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer as TantivyStemmer,
    TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer, TokenizerManager,
};

use crate::IndexError;

/// Name of the analyzer for stemmed fields (`title`, `body`).
pub const STEM_ANALYZER: &str = "qalam_stem";
/// Name of the analyzer for normalized, unstemmed fields (`title_exact`, `body_exact`, `author`).
pub const NORM_ANALYZER: &str = "qalam_norm";
/// Name of the analyzer for root-stemmed fields (`title_root`, `body_root`).
pub const ROOT_ANALYZER: &str = "qalam_root";
/// Tokens whose normalized form is longer than this many bytes are not indexed.
pub const MAX_TOKEN_BYTES: usize = 200;

/// Splits text with qalam's tokenizer; each token's text is its SEARCH-normalized form and its
/// offsets are byte offsets into the original text.
///
/// Only word-like tokens (words, Latin words, numbers, hashtags, mentions) are emitted; the `#`
/// or `@` of a hashtag or mention is dropped from the text but kept in the offsets.
#[derive(Clone, Default)]
pub struct ArabicTokenizer {
    spans: Vec<Span>,
    token: Token,
}

/// The token stream of [`ArabicTokenizer`].
pub struct ArabicTokenStream<'a> {
    text: &'a str,
    spans: &'a [Span],
    next: usize,
    token: &'a mut Token,
}

impl Tokenizer for ArabicTokenizer {
    type TokenStream<'a> = ArabicTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> ArabicTokenStream<'a> {
        self.spans.clear();
        self.token.reset();
        let spans = &mut self.spans;
        qalam_text::Tokenizer.for_each(text, |span| {
            if span.kind.is_wordlike() {
                spans.push(span);
            }
        });
        ArabicTokenStream {
            text,
            spans: &self.spans,
            next: 0,
            token: &mut self.token,
        }
    }
}

impl TokenStream for ArabicTokenStream<'_> {
    fn advance(&mut self) -> bool {
        while let Some(span) = self.spans.get(self.next) {
            self.next += 1;
            let mut surface = &self.text[span.start..span.end];
            if matches!(span.kind, TokenKind::Hashtag | TokenKind::Mention) {
                surface = &surface[1..];
            }
            normalize_token(surface, span.kind, &Options::SEARCH, &mut self.token.text);
            if self.token.text.is_empty() || self.token.text.len() > MAX_TOKEN_BYTES {
                continue;
            }
            self.token.offset_from = span.start;
            self.token.offset_to = span.end;
            self.token.position = self.token.position.wrapping_add(1);
            return true;
        }
        false
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// Removes qalam's stopwords (the curated list of `qalam_text::stopwords`), leaving a gap in
/// positions so phrases do not match across a removed word.
#[derive(Clone, Copy, Debug, Default)]
pub struct StopwordFilter;

/// The tokenizer made by [`StopwordFilter`].
#[derive(Clone)]
pub struct StopwordTokenizer<T> {
    inner: T,
}

/// The token stream of [`StopwordTokenizer`].
pub struct StopwordTokenStream<S> {
    tail: S,
}

impl TokenFilter for StopwordFilter {
    type Tokenizer<T: Tokenizer> = StopwordTokenizer<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> StopwordTokenizer<T> {
        StopwordTokenizer { inner }
    }
}

impl<T: Tokenizer> Tokenizer for StopwordTokenizer<T> {
    type TokenStream<'a> = StopwordTokenStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        StopwordTokenStream {
            tail: self.inner.token_stream(text),
        }
    }
}

impl<S: TokenStream> TokenStream for StopwordTokenStream<S> {
    fn advance(&mut self) -> bool {
        while self.tail.advance() {
            if !qalam_text::stopwords::is_stopword(&self.tail.token().text) {
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// A stemmer usable inside the index: maps one normalized word to its stem.
pub trait WordStemmer: Send + Sync + 'static {
    /// Writes the stem of `word` into `out` (cleared first).
    fn stem_into(&self, word: &str, out: &mut String);
}

impl WordStemmer for qalam_morph::Stemmer {
    fn stem_into(&self, word: &str, out: &mut String) {
        qalam_morph::Stemmer::stem_into(*self, word, out);
    }
}

/// The PADT segmenter's search stemmer: clitics removed by the segmenter, then light suffixes.
#[derive(Clone, Copy, Debug)]
pub struct SegStemmer;

impl WordStemmer for SegStemmer {
    fn stem_into(&self, word: &str, out: &mut String) {
        out.clear();
        out.push_str(&qalam_tagger::padt::default_segmenter().stem(word));
    }
}

/// Names of the stemmers [`StemFilter::by_name`] knows.
pub const STEMMER_NAMES: [&str; 5] = ["light", "isri", "snowball", "seg", "none"];

/// Replaces the text of each Arabic token by its stem; other tokens pass unchanged, and a word
/// whose stem would be empty keeps its normalized form.
#[derive(Clone)]
pub struct StemFilter {
    stemmer: Arc<dyn WordStemmer>,
}

impl fmt::Debug for StemFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StemFilter")
    }
}

impl StemFilter {
    /// A filter applying `stemmer`.
    pub fn new(stemmer: Arc<dyn WordStemmer>) -> StemFilter {
        StemFilter { stemmer }
    }

    /// The filter for a stemmer name (one of [`STEMMER_NAMES`]).
    pub fn by_name(name: &str) -> Result<StemFilter, IndexError> {
        if name == "seg" {
            return Ok(StemFilter::new(Arc::new(SegStemmer)));
        }
        let stemmer: qalam_morph::Stemmer = name
            .parse()
            .map_err(|_| IndexError::UnknownStemmer(name.to_string()))?;
        Ok(StemFilter::new(Arc::new(stemmer)))
    }
}

/// The tokenizer made by [`StemFilter`].
#[derive(Clone)]
pub struct StemTokenizer<T> {
    stemmer: Arc<dyn WordStemmer>,
    inner: T,
    buffer: String,
}

/// The token stream of [`StemTokenizer`].
pub struct StemTokenStream<'a, S> {
    stemmer: &'a dyn WordStemmer,
    buffer: &'a mut String,
    tail: S,
}

impl TokenFilter for StemFilter {
    type Tokenizer<T: Tokenizer> = StemTokenizer<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> StemTokenizer<T> {
        StemTokenizer {
            stemmer: self.stemmer,
            inner,
            buffer: String::new(),
        }
    }
}

impl<T: Tokenizer> Tokenizer for StemTokenizer<T> {
    type TokenStream<'a> = StemTokenStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        StemTokenStream {
            stemmer: &*self.stemmer,
            buffer: &mut self.buffer,
            tail: self.inner.token_stream(text),
        }
    }
}

/// True when `word` starts with a letter of the Arabic block (lead bytes 0xD8..=0xDB).
#[inline]
fn starts_arabic(word: &str) -> bool {
    matches!(word.as_bytes().first(), Some(0xD8..=0xDB))
}

impl<S: TokenStream> TokenStream for StemTokenStream<'_, S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if starts_arabic(&token.text) {
            self.stemmer.stem_into(&token.text, self.buffer);
            if !self.buffer.is_empty() {
                std::mem::swap(&mut token.text, self.buffer);
            }
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// Which analysis an index uses; stored in the index's `qalam.json`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct AnalyzerSettings {
    /// `qalam` (qalam's tokenizer, normalization, stopwords and stemmer) or `tantivy_arabic`
    /// (tantivy's SimpleTokenizer + LowerCaser + Snowball Arabic stemmer, for comparison).
    pub kind: AnalyzerKind,
    /// Stemmer name for the stemmed fields (qalam kind only): light, isri, snowball or none.
    pub stemmer: String,
    /// Whether qalam's stopwords are removed (qalam kind only).
    pub stopwords: bool,
    /// A second, more aggressive stemmer (e.g. `isri` roots) for the `*_root` fields; `None`
    /// leaves them empty (qalam kind only).
    #[serde(default)]
    pub root_stemmer: Option<String>,
}

/// The family of an analyzer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnalyzerKind {
    /// qalam's text core.
    Qalam,
    /// tantivy's built-in Arabic pipeline.
    TantivyArabic,
}

impl Default for AnalyzerSettings {
    fn default() -> Self {
        AnalyzerSettings {
            kind: AnalyzerKind::Qalam,
            stemmer: "light".to_string(),
            stopwords: true,
            root_stemmer: Some("isri".to_string()),
        }
    }
}

impl AnalyzerSettings {
    /// tantivy's built-in Arabic pipeline.
    pub fn tantivy_arabic() -> AnalyzerSettings {
        AnalyzerSettings {
            kind: AnalyzerKind::TantivyArabic,
            stemmer: "snowball".to_string(),
            stopwords: false,
            root_stemmer: None,
        }
    }

    /// The qalam analyzer: tokenizer, optional stopwords, optional stemmer.
    fn qalam_analyzer(&self, stemmer: Option<&str>) -> Result<TextAnalyzer, IndexError> {
        let stem = stemmer.map(StemFilter::by_name).transpose()?;
        Ok(match (self.stopwords, stem) {
            (true, Some(stem)) => TextAnalyzer::builder(ArabicTokenizer::default())
                .filter(StopwordFilter)
                .filter(stem)
                .build(),
            (true, None) => TextAnalyzer::builder(ArabicTokenizer::default())
                .filter(StopwordFilter)
                .build(),
            (false, Some(stem)) => TextAnalyzer::builder(ArabicTokenizer::default())
                .filter(stem)
                .build(),
            (false, None) => TextAnalyzer::from(ArabicTokenizer::default()),
        })
    }

    /// The builtin analyzer: SimpleTokenizer, LowerCaser, optionally Snowball Arabic.
    fn builtin_analyzer(stem: bool) -> TextAnalyzer {
        let b = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
            .filter(LowerCaser);
        if stem {
            b.filter(TantivyStemmer::new(Language::Arabic)).build()
        } else {
            b.build()
        }
    }

    /// Checks the settings and builds the (stemmed, normalized) analyzers they describe.
    pub fn build(&self) -> Result<(TextAnalyzer, TextAnalyzer), IndexError> {
        match self.kind {
            AnalyzerKind::Qalam => Ok((
                self.qalam_analyzer(Some(&self.stemmer))?,
                self.qalam_analyzer(None)?,
            )),
            AnalyzerKind::TantivyArabic => {
                Ok((Self::builtin_analyzer(true), Self::builtin_analyzer(false)))
            }
        }
    }

    /// Builds the analyzer of the `*_root` fields (the stemmed one when there is no root stemmer).
    pub fn build_root(&self) -> Result<TextAnalyzer, IndexError> {
        match (self.kind, &self.root_stemmer) {
            (AnalyzerKind::Qalam, Some(root)) => self.qalam_analyzer(Some(root)),
            (AnalyzerKind::Qalam, None) => self.qalam_analyzer(Some(&self.stemmer)),
            (AnalyzerKind::TantivyArabic, _) => Ok(Self::builtin_analyzer(true)),
        }
    }

    /// True when the `*_root` fields are filled.
    pub fn has_root(&self) -> bool {
        self.kind == AnalyzerKind::Qalam && self.root_stemmer.is_some()
    }

    /// Registers [`STEM_ANALYZER`], [`NORM_ANALYZER`] and [`ROOT_ANALYZER`] in `manager`.
    pub fn register(&self, manager: &TokenizerManager) -> Result<(), IndexError> {
        let (stem, norm) = self.build()?;
        let root = self.build_root()?;
        manager.register(STEM_ANALYZER, stem);
        manager.register(NORM_ANALYZER, norm);
        manager.register(ROOT_ANALYZER, root);
        Ok(())
    }

    /// A short description such as `qalam (light stemmer, stopwords)`.
    pub fn describe(&self) -> String {
        match self.kind {
            AnalyzerKind::Qalam => format!(
                "qalam ({} stemmer{}, {})",
                self.stemmer,
                match &self.root_stemmer {
                    Some(root) => format!(" + {root} roots"),
                    None => String::new(),
                },
                if self.stopwords {
                    "stopwords removed"
                } else {
                    "stopwords kept"
                }
            ),
            AnalyzerKind::TantivyArabic => {
                "tantivy built-in (SimpleTokenizer + LowerCaser + Snowball Arabic)".to_string()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_token(token: &Token, position: usize, text: &str, from: usize, to: usize) {
        assert_eq!(token.position, position, "position of {token:?}");
        assert_eq!(token.text, text, "text of {token:?}");
        assert_eq!(token.offset_from, from, "offset_from of {token:?}");
        assert_eq!(token.offset_to, to, "offset_to of {token:?}");
    }

    fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<Token> {
        let mut out = Vec::new();
        let mut stream = analyzer.token_stream(text);
        while let Some(t) = stream.next() {
            out.push(t.clone());
        }
        out
    }

    #[test]
    fn tokenizer_offsets_point_into_original() {
        let text = "تعدّ فى (40ألفاً) #داعش";
        let mut a = TextAnalyzer::from(ArabicTokenizer::default());
        let t = tokens(&mut a, text);
        assert_eq!(t.len(), 5);
        assert_token(&t[0], 0, "تعد", 0, 8);
        assert_token(&t[1], 1, "في", 9, 13);
        assert_token(&t[2], 2, "40", 15, 17);
        assert_eq!(&text[t[3].offset_from..t[3].offset_to], "ألفاً");
        assert_eq!(t[3].text, "الفا");
        assert_eq!(&text[t[4].offset_from..t[4].offset_to], "#داعش");
        assert_eq!(t[4].text, "داعش");
    }

    #[test]
    fn stopwords_leave_position_gaps() {
        let text = "ذهب إلى المدرسة";
        let mut a = TextAnalyzer::builder(ArabicTokenizer::default())
            .filter(StopwordFilter)
            .build();
        let t = tokens(&mut a, text);
        assert_eq!(t.len(), 2);
        assert_token(&t[0], 0, "ذهب", 0, 6);
        assert_token(&t[1], 2, "المدرسه", 14, 28);
    }

    #[test]
    fn stem_filter_only_touches_arabic() {
        let (mut stem, mut norm) = AnalyzerSettings::default().build().unwrap();
        let mut root = AnalyzerSettings::default().build_root().unwrap();
        let text = "والكتاب Books 2015 بالمدرسة";
        let s: Vec<String> = tokens(&mut stem, text)
            .into_iter()
            .map(|t| t.text)
            .collect();
        assert_eq!(s, ["كتاب", "books", "2015", "مدرس"]);
        let n: Vec<String> = tokens(&mut norm, text)
            .into_iter()
            .map(|t| t.text)
            .collect();
        assert_eq!(n, ["والكتاب", "books", "2015", "بالمدرسه"]);
        let r: Vec<String> = tokens(&mut root, text)
            .into_iter()
            .map(|t| t.text)
            .collect();
        assert_eq!(r, ["كتب", "books", "2015", "درس"]);
    }

    #[test]
    fn settings_validate_stemmer_and_round_trip() {
        let bad = AnalyzerSettings {
            stemmer: "khoja".into(),
            ..AnalyzerSettings::default()
        };
        assert!(matches!(bad.build(), Err(IndexError::UnknownStemmer(_))));
        let json = serde_json::to_string(&AnalyzerSettings::tantivy_arabic()).unwrap();
        assert!(json.contains("\"tantivy_arabic\""), "{json}");
        let back: AnalyzerSettings = serde_json::from_str(&json).unwrap();
        assert_eq!(back, AnalyzerSettings::tantivy_arabic());
    }

    #[test]
    fn tantivy_builtin_pipeline_stems_with_snowball() {
        let (mut stem, _) = AnalyzerSettings::tantivy_arabic().build().unwrap();
        let t = tokens(&mut stem, "المدرسة");
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].text, qalam_morph::snowball_stem("المدرسة"));
    }
}
