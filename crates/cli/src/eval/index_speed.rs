//! `qalam eval index-speed`: indexing throughput of qalam's analyzer (with and without the reading
//! aids) against tantivy's built-in Arabic one.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Args;
use qalam_analysis::Pipeline;
use qalam_index::eval::quantile;
use qalam_index::{AnalyzerSettings, QalamIndex, WriterOptions};

use super::read_distractors;

/// Arguments of `qalam eval index-speed`.
#[derive(Args)]
pub struct IndexSpeedArgs {
    /// Inputs to index (read into memory first), e.g. ../shared/data/saudinewsnet.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Runs per analyzer (alternating); the median is reported.
    #[arg(long, default_value_t = 3)]
    repeat: usize,
    /// Indexing threads (0: one per core).
    #[arg(long, default_value_t = 0)]
    threads: usize,
    /// Scratch directory for the indexes (default: the system temp dir).
    #[arg(long)]
    scratch: Option<PathBuf>,
    /// Also time qalam with its reading aids (entities, keyphrases, summary, clusters) computed at
    /// ingest, as `qalam index` does by default; the two analyzers are compared without them.
    #[arg(long)]
    aids: bool,
}

/// `qalam eval index-speed`: docs/s and MB/s of qalam's analyzer vs tantivy's built-in one.
pub fn run(args: IndexSpeedArgs) -> Result<ExitCode> {
    let (docs, rejected) = read_distractors(&args.inputs);
    let bytes: usize = docs
        .iter()
        .map(|d| d.title.as_ref().map_or(0, String::len) + d.body.len())
        .sum();
    eprintln!(
        "qalam: {} documents ({:.1} MB of title + body, {rejected} rejected) in memory",
        docs.len(),
        bytes as f64 / 1e6
    );
    let scratch = args.scratch.clone().unwrap_or_else(std::env::temp_dir);
    let mut configs = vec![
        ("qalam", AnalyzerSettings::default(), false),
        ("tantivy-builtin", AnalyzerSettings::tantivy_arabic(), false),
    ];
    if args.aids {
        configs.push(("qalam+aids", AnalyzerSettings::default(), true));
    }
    let mut secs: Vec<Vec<f64>> = vec![Vec::new(); configs.len()];
    for round in 0..args.repeat.max(1) {
        for (i, (name, settings, aids)) in configs.iter().enumerate() {
            let dir = scratch.join(format!(
                "qalam-index-speed-{}-{name}-{round}",
                std::process::id()
            ));
            let _ = std::fs::remove_dir_all(&dir);
            let index = QalamIndex::create(&dir, settings.clone())?;
            let t = Instant::now();
            let mut writer = index.writer(WriterOptions {
                threads: args.threads,
                commit_docs: u64::MAX,
                commit_bytes: u64::MAX,
                aids: aids.then(|| Arc::new(Pipeline::default())),
                ..WriterOptions::default()
            })?;
            for doc in &docs {
                writer.add(doc)?;
            }
            let report = writer.finish()?;
            let s = t.elapsed().as_secs_f64();
            let size = dir_size(&dir);
            drop(index);
            std::fs::remove_dir_all(&dir).with_context(|| format!("removing {}", dir.display()))?;
            eprintln!(
                "qalam: round {} {name}: {:.2} s, {:.0} docs/s, {:.2} MB/s, index {:.1} MB",
                round + 1,
                s,
                report.indexed() as f64 / s,
                bytes as f64 / 1e6 / s,
                size as f64 / 1e6
            );
            secs[i].push(s);
        }
    }
    let mut medians = Vec::new();
    for ((name, _, _), mut v) in configs.iter().zip(secs) {
        v.sort_by(f64::total_cmp);
        let med = quantile(&v, 0.5);
        medians.push(med);
        println!(
            "index-speed analyzer={name} docs={} MB={:.1} median_s={:.2} docs/s={:.0} MB/s={:.2}",
            docs.len(),
            bytes as f64 / 1e6,
            med,
            docs.len() as f64 / med,
            bytes as f64 / 1e6 / med
        );
    }
    println!(
        "index-speed qalam/tantivy-builtin throughput ratio={:.2}",
        medians[1] / medians[0]
    );
    Ok(ExitCode::SUCCESS)
}

fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|e| e.metadata().ok())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}
