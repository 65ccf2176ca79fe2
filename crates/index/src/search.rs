//! Searching: the [`SearchRequest`], its page of [`Hit`]s with snippets, the total, facets and
//! collapsed near-duplicates.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, TopDocs};
use tantivy::columnar::StrColumn;
use tantivy::query::Query;
use tantivy::snippet::SnippetGenerator;
use tantivy::{SegmentOrdinal, TantivyDocument};

use crate::collectors::FacetCollector;
use crate::snippet::{MAX_SNIPPET_BYTES, lead};
use crate::{Deadline, Facets, IndexError, QalamIndex, QueryLimits, Snippet};

/// Field weights of a search (multiplied into each field's BM25 score).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Boosts {
    /// Stemmed headline.
    pub title: f32,
    /// Exact (normalized, unstemmed) headline.
    pub title_exact: f32,
    /// Root-stemmed headline.
    pub title_root: f32,
    /// Stemmed text.
    pub body: f32,
    /// Exact text.
    pub body_exact: f32,
    /// Root-stemmed text.
    pub body_root: f32,
    /// Author.
    pub author: f32,
}

impl Default for Boosts {
    fn default() -> Self {
        Boosts {
            title: 0.25,
            title_exact: 0.25,
            title_root: 0.25,
            body: 1.0,
            body_exact: 0.5,
            body_root: 1.0,
            author: 0.25,
        }
    }
}

/// How the query text is read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QueryMode {
    /// Query syntax: AND/OR/NOT, +/-, "phrases", field:term, ranges (`date:[A TO B]`).
    #[default]
    Syntax,
    /// Plain words (a question, a pasted sentence): every word is an optional term.
    Words,
}

/// A search.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct SearchRequest {
    /// The query.
    pub q: String,
    /// How `q` is read.
    pub mode: QueryMode,
    /// Hits to return.
    pub limit: usize,
    /// Hits to skip.
    pub offset: usize,
    /// Only documents of this source.
    pub source: Option<String>,
    /// Only documents dated on or after this day (`YYYY-MM-DD` or RFC 3339).
    pub from: Option<String>,
    /// Only documents dated on or before this day (inclusive; `YYYY-MM-DD` or RFC 3339).
    pub to: Option<String>,
    /// Every word must match (AND) instead of any (OR), in syntax mode.
    pub all_words: bool,
    /// Count hits by source and by day.
    pub facets: bool,
    /// Make snippets.
    pub snippets: bool,
    /// Longest snippet, in bytes of the original text.
    pub snippet_bytes: usize,
    /// Show one hit per near-duplicate cluster (the best); `total` still counts every match.
    pub collapse: bool,
    /// When long work on this request (stories, entity trends) must stop.
    #[serde(skip)]
    pub deadline: Deadline,
}

impl Default for SearchRequest {
    fn default() -> Self {
        SearchRequest {
            q: String::new(),
            mode: QueryMode::Syntax,
            limit: 10,
            offset: 0,
            source: None,
            from: None,
            to: None,
            all_words: false,
            facets: false,
            snippets: true,
            snippet_bytes: 400,
            collapse: false,
            deadline: Deadline::NONE,
        }
    }
}

impl SearchRequest {
    /// A request for `q` in syntax mode with default settings.
    pub fn new(q: impl Into<String>) -> SearchRequest {
        SearchRequest {
            q: q.into(),
            ..SearchRequest::default()
        }
    }

    /// The page the collector is asked for: `(limit, offset)` clamped to `limits`.
    pub fn page(&self, limits: &QueryLimits) -> (usize, usize) {
        (
            self.limit.min(limits.max_limit),
            self.offset.min(limits.max_offset),
        )
    }
}

/// One search hit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    /// Document id.
    pub id: String,
    /// BM25 score.
    pub score: f32,
    /// Headline.
    pub title: Option<String>,
    /// Publication.
    pub source: Option<String>,
    /// Date as given in the input.
    pub date: Option<String>,
    /// Author.
    pub author: Option<String>,
    /// Address.
    pub url: Option<String>,
    /// Best fragment of the text, highlighted.
    pub snippet: Snippet,
    /// Near-duplicate cluster of the document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    /// Lower-ranked copies of this hit left out by `collapse`.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub copies: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// The answer to a [`SearchRequest`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    /// Number of matching documents.
    pub total: usize,
    /// The requested page of hits, best first.
    pub hits: Vec<Hit>,
    /// Counts over all matching documents, when asked for.
    pub facets: Option<Facets>,
}

impl QalamIndex {
    /// Ids and scores of the best `limit` documents for `query` (ids read from the fast field,
    /// not the document store; `limit` is clamped to the index's `max_limit`).
    pub fn top_ids(
        &self,
        query: &dyn Query,
        limit: usize,
    ) -> Result<Vec<(String, f32)>, IndexError> {
        let searcher = self.searcher();
        let limit = limit.clamp(1, self.limits.max_limit.max(1));
        let top = searcher.search(query, &TopDocs::with_limit(limit))?;
        let mut columns: HashMap<SegmentOrdinal, Option<StrColumn>> = HashMap::new();
        let mut out = Vec::with_capacity(top.len());
        let mut id = String::new();
        for (score, address) in top {
            let column = match columns.entry(address.segment_ord) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(e) => {
                    let reader = searcher.segment_reader(address.segment_ord);
                    e.insert(reader.fast_fields().str("id")?)
                }
            };
            id.clear();
            if let Some(column) = column
                && let Some(ord) = column.term_ords(address.doc_id).next()
            {
                column.ord_to_str(ord, &mut id)?;
            }
            out.push((id.clone(), score));
        }
        Ok(out)
    }

    /// Runs a search: hits with snippets, the total, and facets when asked for.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults, IndexError> {
        let query = self.request_query(req)?;
        let (limit, offset) = req.page(&self.limits);
        let snippet_bytes = req.snippet_bytes.min(MAX_SNIPPET_BYTES);
        let searcher = self.searcher();
        let top = if req.collapse {
            // Copies are dropped after the search: fetch more than a page.
            TopDocs::with_limit((offset + limit).max(1) * 4 + 20)
        } else {
            TopDocs::with_limit(limit.max(1)).and_offset(offset)
        };
        let facets = req.facets.then(|| FacetCollector {
            source: "source".into(),
            date: "date".into(),
        });
        let (top, total, facet_counts) = searcher.search(&*query, &(top, Count, facets))?;
        let mut generator = if req.snippets {
            let mut g = SnippetGenerator::create(&searcher, &*query, self.fields.body)?;
            g.set_max_num_chars(snippet_bytes);
            Some(g)
        } else {
            None
        };
        let top = if req.collapse {
            self.collapse_top(&searcher, top, offset, limit)?
        } else {
            top.into_iter().map(|(s, a)| (s, a, 0)).collect()
        };
        let mut hits = Vec::with_capacity(top.len());
        for (score, address, copies) in top.into_iter().take(limit) {
            let doc: TantivyDocument = searcher.doc(address)?;
            let d = self.stored_document(&doc);
            let snippet = match &mut generator {
                None => Snippet::default(),
                Some(g) => {
                    let s = g.snippet(&d.body);
                    if s.is_empty() {
                        Snippet::new(lead(&d.body, snippet_bytes), Vec::new())
                    } else {
                        let ranges = s.highlighted().iter().map(|r| (r.start, r.end)).collect();
                        Snippet::new(s.fragment(), ranges)
                    }
                }
            };
            hits.push(Hit {
                id: d.id,
                score,
                title: d.title,
                source: d.source,
                date: d.date,
                author: d.author,
                url: d.url,
                snippet,
                cluster: doc
                    .get_first(self.fields.cluster)
                    .and_then(|v| tantivy::schema::Value::as_str(&v))
                    .map(str::to_string),
                copies,
            });
        }
        let facets = facet_counts.map(Facets::from_counts);
        Ok(SearchResults {
            total,
            hits,
            facets,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::small_index;

    #[test]
    fn huge_pages_are_clamped() {
        let index = small_index();
        let req = SearchRequest {
            limit: usize::MAX,
            offset: usize::MAX,
            ..SearchRequest::new("الموصل")
        };
        assert_eq!(index.search(&req).unwrap().hits.len(), 0);
        for collapse in [false, true] {
            let req = SearchRequest {
                limit: usize::MAX,
                collapse,
                snippet_bytes: usize::MAX,
                ..SearchRequest::new("الموصل")
            };
            assert_eq!(index.search(&req).unwrap().hits.len(), 1);
        }
        assert_eq!(
            SearchRequest {
                limit: usize::MAX,
                offset: usize::MAX,
                ..SearchRequest::default()
            }
            .page(&QueryLimits::default()),
            (crate::DEFAULT_MAX_LIMIT, crate::DEFAULT_MAX_OFFSET)
        );
    }
}
