//! `qalam dedup`: the clusters of near-duplicate documents of an index.

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;
use qalam_index::QalamIndex;

/// Arguments of `qalam dedup`.
#[derive(Args)]
pub struct DedupArgs {
    /// Index directory.
    #[arg(long)]
    index: PathBuf,
    /// Smallest cluster listed.
    #[arg(long, default_value_t = 2)]
    min_docs: usize,
    /// Clusters listed (0: all).
    #[arg(long, default_value_t = 50)]
    limit: usize,
    /// One JSON object per cluster (JSONL) instead of text.
    #[arg(long)]
    json: bool,
}

/// `qalam dedup`: clusters of near-duplicate documents with their similarity.
pub fn dedup(args: DedupArgs) -> Result<ExitCode> {
    let index = QalamIndex::open(&args.index)?;
    let clusters = index.duplicate_clusters(args.min_docs)?;
    let in_clusters: usize = clusters.iter().map(|c| c.docs.len()).sum();
    let mut out = BufWriter::new(io::stdout().lock());
    if !args.json {
        writeln!(
            out,
            "{} clusters of {}+ near-duplicates ({} of {} documents)",
            clusters.len(),
            args.min_docs.max(2),
            in_clusters,
            index.num_docs()
        )?;
    }
    let limit = if args.limit == 0 {
        usize::MAX
    } else {
        args.limit
    };
    for c in clusters.iter().take(limit) {
        if args.json {
            serde_json::to_writer(&mut out, c)?;
            writeln!(out)?;
            continue;
        }
        writeln!(out, "\ncluster {} ({} documents)", c.cluster, c.docs.len())?;
        for d in &c.docs {
            writeln!(
                out,
                "  {:.2}  {}  {}  {}  {}",
                d.similarity,
                d.date.as_deref().unwrap_or("-"),
                d.source.as_deref().unwrap_or("-"),
                d.id,
                d.title.as_deref().unwrap_or("-")
            )?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
