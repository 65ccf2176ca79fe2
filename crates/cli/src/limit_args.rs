//! Flags that bound user queries, shared by `search`, `serve`, `demo`, `stories` and `entities`.

use anyhow::{Result, bail};
use clap::Args;
use qalam_index::{
    DEFAULT_MAX_DATE_CLAUSES, DEFAULT_MAX_QUERY_BYTES, DEFAULT_MAX_QUERY_CLAUSES,
    DEFAULT_MAX_QUERY_DEPTH, QueryLimits,
};

/// Highest `--max-query-depth` accepted: tantivy 0.25's query grammar takes time that doubles
/// with each nested group.
pub const MAX_QUERY_DEPTH_CEILING: usize = 10;

/// Bounds on the queries a command reads.
#[derive(Args, Clone, Debug)]
pub struct QueryLimitArgs {
    /// Longest query (and source, from, to filter), in bytes.
    #[arg(long, default_value_t = DEFAULT_MAX_QUERY_BYTES, value_name = "BYTES")]
    max_query_bytes: usize,
    /// Deepest nesting of parentheses and NOTs in a query (at most 10).
    #[arg(long, default_value_t = DEFAULT_MAX_QUERY_DEPTH, value_name = "N")]
    max_query_depth: usize,
    /// Most clauses (words, phrases, ranges) in a query.
    #[arg(long, default_value_t = DEFAULT_MAX_QUERY_CLAUSES, value_name = "N")]
    max_query_clauses: usize,
    /// Most date: clauses in a query.
    #[arg(long, default_value_t = DEFAULT_MAX_DATE_CLAUSES, value_name = "N")]
    max_date_clauses: usize,
}

impl QueryLimitArgs {
    /// The limits these flags ask for.
    pub fn limits(&self) -> Result<QueryLimits> {
        if self.max_query_bytes == 0 || self.max_query_clauses == 0 {
            bail!("--max-query-bytes and --max-query-clauses must be positive");
        }
        if self.max_query_depth > MAX_QUERY_DEPTH_CEILING {
            bail!(
                "--max-query-depth {} is over {MAX_QUERY_DEPTH_CEILING}: the query parser's time \
                 doubles with each nested group",
                self.max_query_depth
            );
        }
        Ok(QueryLimits {
            max_bytes: self.max_query_bytes,
            max_depth: self.max_query_depth,
            max_clauses: self.max_query_clauses,
            max_date_clauses: self.max_date_clauses,
            ..QueryLimits::default()
        })
    }
}
