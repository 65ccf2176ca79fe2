//! `qalam stem`: one stem per input word.

use std::process::ExitCode;

use anyhow::Result;
use clap::Args;
use qalam_morph::Stemmer;

use crate::input::map_lines;

/// Arguments of `qalam stem`.
#[derive(Args)]
pub struct StemArgs {
    /// Stemming algorithm.
    #[arg(long, default_value_t = Stemmer::Light)]
    algo: Stemmer,
    /// Input file, one word per line ("-" for stdin).
    #[arg(default_value = "-")]
    input: String,
    /// Replace invalid UTF-8 instead of stopping.
    #[arg(long)]
    lossy: bool,
}

/// `qalam stem`.
pub fn stem(args: StemArgs) -> Result<ExitCode> {
    map_lines(&args.input, args.lossy, |line, buf| {
        args.algo.stem_into(line.trim(), buf)
    })
}
