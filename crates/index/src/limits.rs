//! [`QueryLimits`]: bounds on what a user query may ask of the index, checked before the query
//! reaches tantivy's recursive grammar, and the [`Deadline`] of long work.
//!
//! tantivy 0.25's query grammar backtracks at every parenthesised group that holds a single leaf
//! (time doubles with each level) and recurses without a depth limit (5,000 `(` overflow the
//! stack). So the text is scanned first, in one pass without recursion: its length, nesting depth
//! (parentheses and `NOT` chains) and number of clauses; then the `date:` rewriter and the
//! negation lifting have their own bounds.

use std::time::Instant;

use crate::IndexError;

/// Bounds on user queries and on the pages a search returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QueryLimits {
    /// Longest query text (and `source`, `from`, `to` filter), in bytes.
    pub max_bytes: usize,
    /// Deepest nesting of parentheses and `NOT`s.
    pub max_depth: usize,
    /// Most clauses (terms, phrases, ranges; words in plain-words mode).
    pub max_clauses: usize,
    /// Most `date:` clauses.
    pub max_date_clauses: usize,
    /// Most hits one search returns (larger `limit`s are clamped).
    pub max_limit: usize,
    /// Deepest page start (larger `offset`s are clamped).
    pub max_offset: usize,
}

/// Default [`QueryLimits::max_bytes`].
pub const DEFAULT_MAX_QUERY_BYTES: usize = 2048;
/// Default [`QueryLimits::max_depth`].
pub const DEFAULT_MAX_QUERY_DEPTH: usize = 6;
/// Default [`QueryLimits::max_clauses`].
pub const DEFAULT_MAX_QUERY_CLAUSES: usize = 64;
/// Default [`QueryLimits::max_date_clauses`].
pub const DEFAULT_MAX_DATE_CLAUSES: usize = 8;
/// Default [`QueryLimits::max_limit`].
pub const DEFAULT_MAX_LIMIT: usize = 10_000;
/// Default [`QueryLimits::max_offset`].
pub const DEFAULT_MAX_OFFSET: usize = 100_000;
/// Most hits one page of an interactive search returns: `GET /api/search` and Python's
/// `Index.search` refuse a larger `limit`.
pub const PAGE_MAX_LIMIT: usize = 100;
/// Deepest page start of an interactive search (as Elasticsearch's `max_result_window`):
/// `GET /api/search` and Python's `Index.search` refuse a larger `offset`.
pub const PAGE_MAX_OFFSET: usize = 10_000;

impl Default for QueryLimits {
    fn default() -> Self {
        QueryLimits {
            max_bytes: DEFAULT_MAX_QUERY_BYTES,
            max_depth: DEFAULT_MAX_QUERY_DEPTH,
            max_clauses: DEFAULT_MAX_QUERY_CLAUSES,
            max_date_clauses: DEFAULT_MAX_DATE_CLAUSES,
            max_limit: DEFAULT_MAX_LIMIT,
            max_offset: DEFAULT_MAX_OFFSET,
        }
    }
}

/// What a scan of a query's text found.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct QueryShape {
    /// Deepest nesting of parentheses and `NOT`s.
    pub depth: usize,
    /// Clauses: words and phrases outside operators (`AND`, `OR`, `NOT`, `TO`).
    pub clauses: usize,
}

/// The word being scanned: enough of it to tell operators and field names from clauses.
#[derive(Default)]
struct Word {
    /// Its first characters (at most 4: the operators are shorter).
    head: String,
    /// Its length in characters.
    chars: usize,
    /// Its last character.
    last: Option<char>,
}

impl Word {
    fn push(&mut self, c: char) {
        if self.chars < 4 {
            self.head.push(c);
        }
        self.chars += 1;
        self.last = Some(c);
    }

    fn is_empty(&self) -> bool {
        self.chars == 0
    }

    /// The operator this word is, if any.
    fn operator(&self) -> Option<&str> {
        match self.head.as_str() {
            op @ ("AND" | "OR" | "NOT" | "TO") if self.chars == op.len() => Some(op),
            _ => None,
        }
    }

    fn clear(&mut self) {
        *self = Word::default();
    }
}

/// Scans query syntax without recursion: nesting depth and clause count. Quoted phrases count as
/// one clause and their contents are skipped; `\` escapes the next character.
pub fn query_shape(q: &str) -> QueryShape {
    let mut shape = QueryShape::default();
    let mut parens = 0usize;
    let mut nots = 0usize;
    let mut word = Word::default();
    let mut in_quotes = false;
    let mut chars = q.chars();
    // Ends a word: an operator or a clause.
    let end_word = |word: &mut Word, nots: &mut usize, shape: &mut QueryShape, parens: usize| {
        if word.is_empty() {
            return;
        }
        match word.operator() {
            Some("NOT") => {
                *nots += 1;
                shape.depth = shape.depth.max(parens + *nots);
            }
            Some(_) => {}
            None => {
                shape.clauses += 1;
                *nots = 0;
            }
        }
        word.clear();
    };
    while let Some(c) = chars.next() {
        if in_quotes {
            match c {
                '\\' => {
                    chars.next();
                }
                '"' => in_quotes = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                end_word(&mut word, &mut nots, &mut shape, parens);
                in_quotes = true;
                shape.clauses += 1;
                nots = 0;
            }
            '\\' => {
                word.push(c);
                if let Some(next) = chars.next() {
                    word.push(next);
                }
            }
            '(' => {
                // `field:(…)` names the field of a group: not a clause of its own.
                if word.last == Some(':') {
                    word.clear();
                }
                end_word(&mut word, &mut nots, &mut shape, parens);
                parens += 1;
                shape.depth = shape.depth.max(parens + nots);
            }
            ')' => {
                end_word(&mut word, &mut nots, &mut shape, parens);
                parens = parens.saturating_sub(1);
                nots = 0;
            }
            c if c.is_whitespace() => end_word(&mut word, &mut nots, &mut shape, parens),
            c => word.push(c),
        }
    }
    end_word(&mut word, &mut nots, &mut shape, parens);
    shape
}

impl QueryLimits {
    fn too_complex(what: String) -> IndexError {
        IndexError::QueryTooComplex(what)
    }

    /// Checks a text field of a request (query or filter) against [`QueryLimits::max_bytes`].
    pub fn check_bytes(&self, name: &str, text: &str) -> Result<(), IndexError> {
        if text.len() > self.max_bytes {
            return Err(Self::too_complex(format!(
                "{name} is {} bytes long; the limit is {} bytes",
                text.len(),
                self.max_bytes
            )));
        }
        Ok(())
    }

    /// Checks query syntax before it is parsed: length, nesting depth and clause count.
    pub fn check_syntax(&self, q: &str) -> Result<QueryShape, IndexError> {
        self.check_bytes("the query", q)?;
        let shape = query_shape(q);
        if shape.depth > self.max_depth {
            return Err(Self::too_complex(format!(
                "the query nests parentheses or NOTs {} deep; the limit is {}",
                shape.depth, self.max_depth
            )));
        }
        self.check_clauses(shape.clauses)?;
        Ok(shape)
    }

    /// Checks a plain-words query: length and number of words.
    pub fn check_words(&self, q: &str) -> Result<(), IndexError> {
        self.check_bytes("the query", q)?;
        self.check_clauses(q.split_whitespace().count())
    }

    /// Checks a number of clauses against [`QueryLimits::max_clauses`].
    pub fn check_clauses(&self, clauses: usize) -> Result<(), IndexError> {
        if clauses > self.max_clauses {
            return Err(Self::too_complex(format!(
                "the query has {clauses} clauses; the limit is {}",
                self.max_clauses
            )));
        }
        Ok(())
    }
}

/// When long work (a search's aids, story clustering, an upload) must stop.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Deadline(Option<Instant>);

impl Deadline {
    /// No deadline.
    pub const NONE: Deadline = Deadline(None);

    /// Stop at `at`.
    pub fn at(at: Instant) -> Deadline {
        Deadline(Some(at))
    }

    /// Stop `after` from now.
    pub fn after(after: std::time::Duration) -> Deadline {
        Deadline(Instant::now().checked_add(after))
    }

    /// True once the deadline has passed.
    pub fn passed(&self) -> bool {
        self.0.is_some_and(|at| Instant::now() >= at)
    }

    /// `Err(IndexError::DeadlinePassed)` once the deadline has passed.
    pub fn check(&self) -> Result<(), IndexError> {
        if self.passed() {
            Err(IndexError::DeadlinePassed)
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(q: &str) -> (usize, usize) {
        let s = query_shape(q);
        (s.depth, s.clauses)
    }

    #[test]
    fn shape_counts_depth_and_clauses() {
        assert_eq!(shape("a b c"), (0, 3));
        assert_eq!(shape("(a OR b) AND NOT c"), (1, 3));
        assert_eq!(shape("((((a))))"), (4, 1));
        assert_eq!(shape("\"((((( a b c\" d"), (0, 2));
        assert_eq!(shape("\\(\\(\\( x"), (0, 2));
        assert_eq!(shape("NOT NOT NOT a"), (3, 1));
        assert_eq!(shape("(NOT (NOT a))"), (4, 1));
        assert_eq!(shape("date:[2015-07-01 TO 2015-07-31]"), (0, 2));
        assert_eq!(shape(&"(".repeat(5000)), (5000, 0));
        assert_eq!(shape("ANDROID ORBIT NOTE TOP"), (0, 4));
        assert_eq!(shape("title:(a b) body:(c)"), (1, 3));
        assert_eq!(shape("تحرير الموصل"), (0, 2));
        // Mixed one- and two-byte letters: the word buffer is cut at a char boundary.
        assert_eq!(shape("aالموصل bتحرير:x"), (0, 2));
        assert_eq!(shape("title:(aبلد)"), (1, 1));
        assert_eq!(shape("NOTE ANDX AND OR"), (0, 2));
    }

    /// Found by `cargo fuzz run query`: a word whose first four bytes end inside a character
    /// (U+FFFD from invalid UTF-8, then an Arabic letter) made the scanner slice mid-character.
    #[test]
    fn test_shape_of_words_with_multibyte_heads() {
        let bytes = b"\xd8\xa7\xd9\x84\xd9\x85\xd9\x88\xd8\xb5\xd9\x84 AND (\xd8\xd8\xa7\xd9\x84\xd8\xb1\xd9\x82\xd8\xa9 OR \xd8\xaf\xd8\xa7\xd8\xb9\xd8\xb4)";
        let q = String::from_utf8_lossy(bytes);
        assert_eq!(shape(&q), (1, 3));
        assert_eq!(shape("\u{FFFD}ابجد هوز"), (0, 2));
    }

    #[test]
    fn limits_reject_deep_long_and_wide_queries() {
        let l = QueryLimits::default();
        assert!(l.check_syntax("(a OR (b AND c)) -d").is_ok());
        let deep = format!("{}a{}", "(".repeat(25), ")".repeat(25));
        assert!(matches!(
            l.check_syntax(&deep),
            Err(IndexError::QueryTooComplex(m)) if m.contains("25 deep")
        ));
        assert!(matches!(
            l.check_syntax(&"x ".repeat(65)),
            Err(IndexError::QueryTooComplex(m)) if m.contains("65 clauses")
        ));
        assert!(matches!(
            l.check_syntax(&"x".repeat(3000)),
            Err(IndexError::QueryTooComplex(m)) if m.contains("3000 bytes")
        ));
        assert!(l.check_words(&"كلمة ".repeat(64)).is_ok());
        assert!(l.check_words(&"كلمة ".repeat(65)).is_err());
    }

    #[test]
    fn deadlines() {
        assert!(!Deadline::NONE.passed());
        assert!(Deadline::at(Instant::now()).passed());
        assert!(matches!(
            Deadline::at(Instant::now()).check(),
            Err(IndexError::DeadlinePassed)
        ));
        assert!(
            Deadline::after(std::time::Duration::from_secs(60))
                .check()
                .is_ok()
        );
    }
}
