//! `qalam search`: hits with highlighted snippets (text or JSON lines), facets and collapsed
//! near-duplicates.

use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Result, bail};
use clap::Args;
use qalam_index::{QalamIndex, QueryMode, SearchRequest};

use crate::filter_args::FilterArgs;
use crate::limit_args::QueryLimitArgs;

/// Arguments of `qalam search`.
#[derive(Args)]
pub struct SearchArgs {
    /// Index directory.
    #[arg(long)]
    index: PathBuf,
    /// The query: words, AND/OR/NOT, +word -word, "phrases", field:term (title, body, author,
    /// source, url, id), date:2015-07-21, date:[2015-07-01 TO 2015-07-31].
    query: String,
    /// One JSON object per hit on stdout.
    #[arg(long)]
    json: bool,
    /// Hits to show.
    #[arg(long, short = 'n', default_value_t = 10)]
    limit: usize,
    /// Hits to skip.
    #[arg(long, default_value_t = 0)]
    offset: usize,
    #[command(flatten)]
    filters: FilterArgs,
    /// Every word must match (AND by default instead of OR).
    #[arg(long)]
    all: bool,
    /// Read the query as plain words, without syntax (for pasted questions or sentences).
    #[arg(long)]
    words: bool,
    /// Also print hit counts by source and by day.
    #[arg(long)]
    facets: bool,
    /// Show one hit per cluster of near-duplicates (the best; copies are counted).
    #[arg(long)]
    collapse: bool,
    #[command(flatten)]
    query_limits: QueryLimitArgs,
}

/// `qalam search`.
pub fn search(args: SearchArgs) -> Result<ExitCode> {
    let limits = args.query_limits.limits()?;
    if args.limit > limits.max_limit {
        bail!(
            "--limit {} is more than {}, the most hits one search shows",
            args.limit,
            limits.max_limit
        );
    }
    if args.offset > limits.max_offset {
        bail!(
            "--offset {} is more than {}, the deepest page start",
            args.offset,
            limits.max_offset
        );
    }
    let mut index = QalamIndex::open(&args.index)?;
    index.set_query_limits(limits);
    let req = SearchRequest {
        mode: if args.words {
            QueryMode::Words
        } else {
            QueryMode::Syntax
        },
        limit: args.limit,
        offset: args.offset,
        all_words: args.all,
        facets: args.facets,
        collapse: args.collapse,
        ..args.filters.request(&args.query)
    };
    let started = Instant::now();
    let results = index.search(&req)?;
    let took = started.elapsed();
    let stdout = io::stdout();
    let color = stdout.is_terminal();
    let mut out = BufWriter::new(stdout.lock());
    if args.json {
        for hit in &results.hits {
            serde_json::to_writer(&mut out, hit)?;
            writeln!(out)?;
        }
        if let Some(facets) = &results.facets {
            serde_json::to_writer(
                &mut out,
                &serde_json::json!({"total": results.total, "facets": facets}),
            )?;
            writeln!(out)?;
        }
    } else {
        let first = args.offset + 1;
        let last = args.offset + results.hits.len();
        writeln!(
            out,
            "{} hits{} ({:.1} ms)",
            results.total,
            if results.hits.is_empty() {
                String::new()
            } else {
                format!(", showing {first}-{last}")
            },
            took.as_secs_f64() * 1e3
        )?;
        for (i, hit) in results.hits.iter().enumerate() {
            writeln!(out)?;
            writeln!(
                out,
                "{}. {}  [{:.2}]",
                first + i,
                hit.title.as_deref().unwrap_or("(no title)"),
                hit.score
            )?;
            let mut meta = vec![format!("id {}", hit.id)];
            meta.extend(hit.source.iter().map(|s| format!("source {s}")));
            meta.extend(hit.date.iter().map(|d| format!("date {d}")));
            meta.extend(hit.author.iter().map(|a| format!("author {a}")));
            writeln!(out, "   {}", meta.join(" | "))?;
            let s = &hit.snippet;
            let mut line = String::new();
            let mut at = 0;
            for &(a, b) in &s.highlights {
                line.push_str(&s.text[at..a]);
                line.push_str(if color { "\x1b[1;33m" } else { "[" });
                line.push_str(&s.text[a..b]);
                line.push_str(if color { "\x1b[0m" } else { "]" });
                at = b;
            }
            line.push_str(&s.text[at..]);
            writeln!(
                out,
                "   {}",
                line.split_whitespace().collect::<Vec<_>>().join(" ")
            )?;
        }
        if let Some(facets) = &results.facets {
            writeln!(out)?;
            let join = |v: &[(String, u64)]| {
                v.iter()
                    .map(|(k, n)| format!("{k} {n}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            writeln!(out, "by source: {}", join(&facets.by_source))?;
            writeln!(out, "by day: {}", join(&facets.by_day))?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
