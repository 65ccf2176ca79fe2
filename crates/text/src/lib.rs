//! qalam-text: reading raw Arabic text — normalization that keeps an alignment to the original
//! bytes, tokens, sentences, transliteration, stopwords, and the workspace's stable hashes.
//!
//! ```
//! use qalam_text::{tokenize, TokenKind};
//!
//! let text = "تعدّ فى (40ألفاً)";
//! let tokens = tokenize(text);
//! let words: Vec<&str> = tokens.iter().map(|t| &text[t.start..t.end]).collect();
//! assert_eq!(words, ["تعدّ", "فى", "(", "40", "ألفاً", ")"]);
//! assert_eq!(tokens[1].norm, "في");
//! assert_eq!(tokens[3].kind, TokenKind::Number);
//! ```
#![deny(missing_docs)]

pub mod chars;
pub mod eval;
pub mod hash;
pub mod normalize;
pub mod sentence;
pub mod stopwords;
pub mod token;
pub mod translit;

pub use normalize::{Normalized, Options, Profile, normalize, normalize_into, normalize_str};
pub use sentence::{Sentence, SentenceSplitter, sentences};
pub use token::{Span, Token, TokenKind, Tokenizer, normalize_token, tokenize, tokenize_with};
