//! qalam-index: an embedded tantivy index of Arabic news with qalam's analysis inside it.
//!
//! Text fields are analysed by qalam's tokenizer, SEARCH normalization, stopwords and a
//! stemmer, registered in tantivy as `qalam_stem` and `qalam_norm`; the settings are stored in
//! the index's `qalam.json`, so search always analyses queries as the index was built. Token
//! offsets point into the original text, so snippets highlight the original words.
//!
//! ```
//! use qalam_corpus::{read_str, Format};
//! use qalam_index::{AnalyzerSettings, QalamIndex, SearchRequest};
//!
//! let index = QalamIndex::create_in_ram(AnalyzerSettings::default()).unwrap();
//! let docs = read_str(
//!     "news",
//!     r#"{"id": "a", "title": "المدارس", "content": "افتتحت وزارة التعليم المدرسة الجديدة فى الرياض", "date": "2015-07-21"}
//! {"id": "b", "title": "الطقس", "content": "أمطار غزيرة على جدة"}"#,
//!     Format::Jsonl,
//! );
//! let report = index.add(docs.into_iter().map(Result::unwrap)).unwrap();
//! assert_eq!(report.added, 2);
//!
//! let results = index.search(&SearchRequest::new("مدرسة date:2015-07")).unwrap();
//! assert_eq!(results.hits[0].id, "a");
//! assert!(results.hits[0].snippet.html.contains("<mark>المدرسة</mark>"));
//! ```
//!
//! Writes are all-or-nothing per commit: tantivy replaces its `meta.json` atomically, and
//! `qalam.json` is written with [`write_durably`]; after a crash, a kill or a full disk the
//! index opens with its last commit. An id over [`qalam_corpus::MAX_ID_BYTES`] (512 bytes) is
//! rejected for its document alone; the readers' other limits are [`qalam_corpus::Limits`].
#![deny(missing_docs)]

pub mod aids;
pub mod analyzed;
pub mod analyzer;
mod collectors;
pub mod date;
pub mod dedup;
mod error;
pub mod eval;
mod index;
mod ingest;
mod limits;
mod query;
mod response;
mod rewrite;
pub mod schema;
mod search;
mod snippet;
pub mod stories;
#[cfg(test)]
mod test_support;

pub use analyzer::{AnalyzerKind, AnalyzerSettings, NORM_ANALYZER, STEM_ANALYZER};
pub use collectors::Facets;
pub use error::IndexError;
pub use index::{FORMAT_VERSION, IndexSettings, QalamIndex, SETTINGS_FILE, write_durably};
pub use ingest::{Added, IngestReport, Ingester, WriterOptions};
pub use limits::{
    DEFAULT_MAX_DATE_CLAUSES, DEFAULT_MAX_LIMIT, DEFAULT_MAX_OFFSET, DEFAULT_MAX_QUERY_BYTES,
    DEFAULT_MAX_QUERY_CLAUSES, DEFAULT_MAX_QUERY_DEPTH, Deadline, PAGE_MAX_LIMIT, PAGE_MAX_OFFSET,
    QueryLimits, QueryShape, query_shape,
};
pub use response::SearchResponse;
pub use rewrite::rewrite_dates;
pub use search::{Boosts, Hit, QueryMode, SearchRequest, SearchResults};
pub use snippet::{MAX_SNIPPET_BYTES, Snippet};
