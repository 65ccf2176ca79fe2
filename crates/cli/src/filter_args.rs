//! Flags that restrict a query to a source and a date range, shared by `search`, `stories` and
//! `entities`.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;
use qalam_index::{QalamIndex, SearchRequest};

use crate::limit_args::QueryLimitArgs;

/// Source and date filters of a query.
#[derive(Args, Clone, Debug)]
pub struct FilterArgs {
    /// Only documents from this source.
    #[arg(long)]
    source: Option<String>,
    /// Only documents dated on or after this day (YYYY-MM-DD, inclusive).
    #[arg(long)]
    from: Option<String>,
    /// Only documents dated on or before this day (YYYY-MM-DD, inclusive).
    #[arg(long)]
    to: Option<String>,
}

impl FilterArgs {
    /// A request for `q` (syntax mode, default page) with these filters.
    pub fn request(&self, q: &str) -> SearchRequest {
        SearchRequest {
            q: q.to_string(),
            source: self.source.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
            ..SearchRequest::default()
        }
    }
}

/// The documents of an index that a command reads: the index, a query and its filters, and the
/// query limits (shared by `stories` and `entities`).
#[derive(Args, Clone, Debug)]
pub struct SelectionArgs {
    /// Index directory.
    #[arg(long)]
    index: PathBuf,
    /// Only documents matching this query (all documents if empty).
    #[arg(long, default_value = "")]
    query: String,
    #[command(flatten)]
    filters: FilterArgs,
    #[command(flatten)]
    query_limits: QueryLimitArgs,
}

impl SelectionArgs {
    /// The index, opened with these query limits, and the request that selects the documents.
    pub fn open(&self) -> Result<(QalamIndex, SearchRequest)> {
        let mut index = QalamIndex::open(&self.index)?;
        index.set_query_limits(self.query_limits.limits()?);
        Ok((index, self.filters.request(&self.query)))
    }
}
