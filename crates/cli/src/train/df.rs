//! `qalam train df`: the document frequencies of stem n-grams that keyphrases weigh words by.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Args;
use qalam_analysis::df::{DfBuilder, DfPruning, held_out};
use qalam_analysis::words::Words;
use qalam_corpus::read_inputs;

/// Arguments of `qalam train df`.
#[derive(Args)]
pub struct TrainDfArgs {
    /// Articles to count (SaudiNewsNet zips, JSON, JSONL, …).
    #[arg(long, default_value = "../shared/data/saudinewsnet")]
    data: Vec<PathBuf>,
    /// Where to write the table.
    #[arg(long, default_value = "crates/analysis/data/df.bin")]
    out: PathBuf,
    /// Leave out one document in this many (by id hash) for `qalam eval keyphrases|summary`; 0 keeps all.
    #[arg(long, default_value_t = 10)]
    holdout: u64,
    /// Smallest document frequency kept for single words.
    #[arg(long, default_value_t = DfPruning::default().unigrams)]
    min_unigram: u32,
    /// Smallest document frequency kept for two-word n-grams.
    #[arg(long, default_value_t = DfPruning::default().bigrams)]
    min_bigram: u32,
    /// Smallest document frequency kept for three-word n-grams.
    #[arg(long, default_value_t = DfPruning::default().trigrams)]
    min_trigram: u32,
}

/// `qalam train df`: document frequencies of stem n-grams.
pub fn run(args: TrainDfArgs) -> Result<ExitCode> {
    let started = Instant::now();
    let mut builder = DfBuilder::new();
    let mut words = Words::default();
    let (mut skipped, mut errors) = (0u64, 0u64);
    for result in read_inputs(&args.data) {
        match result {
            Ok(doc) if held_out(&doc.id, args.holdout).is_some() => skipped += 1,
            Ok(doc) => {
                words.fill(&doc.body);
                builder.add(&words);
            }
            // SaudiNewsNet has a few dozen blank records; they are counted, not fatal.
            Err(_) => errors += 1,
        }
    }
    let pruning = DfPruning {
        unigrams: args.min_unigram,
        bigrams: args.min_bigram,
        trigrams: args.min_trigram,
    };
    let (bytes, per_len) = builder.build(pruning);
    qalam_index::write_durably(&args.out, &bytes)
        .with_context(|| format!("writing {}", args.out.display()))?;
    eprintln!(
        "qalam: {} documents counted ({skipped} held out, {errors} unreadable records) in {:.1} s; kept {} unigrams, {} bigrams, {} trigrams; {:.2} MB in {}",
        builder.docs(),
        started.elapsed().as_secs_f64(),
        per_len[0],
        per_len[1],
        per_len[2],
        bytes.len() as f64 / 1e6,
        args.out.display()
    );
    Ok(ExitCode::SUCCESS)
}
