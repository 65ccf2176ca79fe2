//! [`SearchResponse`]: the JSON answer to a search, shared by `GET /api/search` and Python's
//! `Index.search`.

use std::time::{Duration, Instant};

use serde::Serialize;

use crate::{Facets, Hit, IndexError, QalamIndex, SearchRequest, SearchResults};

/// The answer to one search: the query as given, the page asked for and its hits.
#[derive(Clone, Debug, Serialize)]
pub struct SearchResponse {
    /// The query as the caller gave it.
    pub q: String,
    /// Number of matching documents.
    pub total: usize,
    /// First hit of the page.
    pub offset: usize,
    /// Most hits of the page.
    pub limit: usize,
    /// Time the search took, in milliseconds (two decimals).
    pub took_ms: f64,
    /// The page of hits, best first.
    pub hits: Vec<Hit>,
    /// Counts by source and day, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facets: Option<Facets>,
}

impl SearchResponse {
    /// The answer of `results` to `request`; `q` is the query as the caller wrote it and `took`
    /// the time the search took.
    pub fn new(
        q: String,
        request: &SearchRequest,
        results: SearchResults,
        took: Duration,
    ) -> SearchResponse {
        SearchResponse {
            q,
            total: results.total,
            offset: request.offset,
            limit: request.limit,
            took_ms: (took.as_secs_f64() * 1e5).round() / 100.0,
            hits: results.hits,
            facets: results.facets,
        }
    }

    /// Runs `request` on `index` and times it; `q` is the query as the caller wrote it.
    pub fn run(
        index: &QalamIndex,
        q: String,
        request: &SearchRequest,
    ) -> Result<SearchResponse, IndexError> {
        let started = Instant::now();
        let results = index.search(request)?;
        Ok(SearchResponse::new(q, request, results, started.elapsed()))
    }
}
