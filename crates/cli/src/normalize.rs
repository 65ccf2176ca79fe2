//! `qalam normalize`: text folded for search (or another profile), line by line.

use std::process::ExitCode;

use anyhow::Result;
use clap::Args;
use qalam_text::{Options, Profile};

use crate::input::map_lines;

/// Arguments of `qalam normalize`.
#[derive(Args)]
pub struct NormalizeArgs {
    /// Named set of folds.
    #[arg(long, default_value_t = Profile::Search)]
    profile: Profile,
    /// Input file ("-" for stdin).
    #[arg(default_value = "-")]
    input: String,
    /// Replace invalid UTF-8 instead of stopping.
    #[arg(long)]
    lossy: bool,
}

/// `qalam normalize`.
pub fn normalize(args: NormalizeArgs) -> Result<ExitCode> {
    let options: Options = args.profile.options();
    map_lines(&args.input, args.lossy, |line, buf| {
        qalam_text::normalize_into(line, &options, buf)
    })
}
