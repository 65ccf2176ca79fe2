//! `qalam eval seg`: Words F1 (CoNLL 2018) of the PADT segmenter on the held-out raw text.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Result;
use clap::Args;

use qalam_tagger::padt::eval::score_segmenter;

use crate::train::padt::{GoldArgs, load_pipeline};

/// Arguments of `qalam eval seg`.
#[derive(Args, Debug, Clone)]
pub struct EvalSegArgs {
    #[command(flatten)]
    pub gold: GoldArgs,
    /// Directory with seg.qlm/pos.qlm/lemma.qlm to score instead of the embedded models.
    #[arg(long)]
    pub models: Option<PathBuf>,
}

/// `qalam eval seg`.
pub fn run(args: EvalSegArgs) -> Result<ExitCode> {
    let p = load_pipeline(args.models.as_deref())?;
    let (_, held) = args.gold.load()?;
    let n_words: usize = held.iter().map(|s| s.words.len()).sum();
    let t0 = Instant::now();
    let c = score_segmenter(&p.seg, &held);
    let dt = t0.elapsed().as_secs_f64();
    println!(
        "== segmentation, held-out {}% of train, raw text",
        args.gold.held_out
    );
    print!("{}", c.report_words());
    eprintln!("({n_words} words in {dt:.2}s, tokenization and alignment included)");
    Ok(ExitCode::SUCCESS)
}
