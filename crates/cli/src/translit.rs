//! `qalam translit`: Arabic script to (safe) Buckwalter and back, line by line.

use std::process::ExitCode;

use anyhow::Result;
use clap::Args;
use qalam_text::translit::{Encoding, convert_into};

use crate::input::map_lines;

/// Arguments of `qalam translit`.
#[derive(Args)]
pub struct TranslitArgs {
    /// Target encoding: bw (Buckwalter), safebw (safe Buckwalter) or ar (Arabic script).
    #[arg(long)]
    to: Encoding,
    /// Source encoding (default: ar when converting to bw/safebw, bw when converting to ar).
    #[arg(long)]
    from: Option<Encoding>,
    /// Input file ("-" for stdin).
    #[arg(default_value = "-")]
    input: String,
    /// Replace invalid UTF-8 instead of stopping.
    #[arg(long)]
    lossy: bool,
}

/// `qalam translit`.
pub fn translit(args: TranslitArgs) -> Result<ExitCode> {
    let from = args.from.unwrap_or(match args.to {
        Encoding::Ar => Encoding::Bw,
        _ => Encoding::Ar,
    });
    map_lines(&args.input, args.lossy, |line, buf| {
        convert_into(line, from, args.to, buf)
    })
}
