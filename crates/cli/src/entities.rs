//! `qalam entities`: entity trends of an index: the most named entities, their articles per day
//! and the pairs named together.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use crate::filter_args::SelectionArgs;

/// Arguments of `qalam entities`.
#[derive(Args)]
pub struct EntitiesArgs {
    #[command(flatten)]
    selection: SelectionArgs,
    /// Entities listed.
    #[arg(long, default_value_t = 20)]
    top: usize,
    /// Print the trends as one JSON object.
    #[arg(long)]
    json: bool,
}

/// `qalam entities`: the most named entities, their articles per day and co-mentioned pairs.
pub fn entities(args: EntitiesArgs) -> Result<ExitCode> {
    let (index, req) = args.selection.open()?;
    let t = index.entity_trends_for(&req, args.top)?;
    let mut out = BufWriter::new(io::stdout().lock());
    if args.json {
        serde_json::to_writer(&mut out, &t)?;
        writeln!(out)?;
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(
        out,
        "{} documents, {} days ({} to {})",
        t.docs,
        t.days.len(),
        t.days.first().map_or("-", String::as_str),
        t.days.last().map_or("-", String::as_str)
    )?;
    let peak = |v: &[u64]| {
        v.iter()
            .enumerate()
            .max_by_key(|(i, n)| (**n, std::cmp::Reverse(*i)))
            .map(|(i, n)| format!("{} ({n})", t.days[i]))
            .unwrap_or_default()
    };
    writeln!(out, "\n  docs  kind  entity  — busiest day; per day")?;
    for e in &t.top {
        let bars: String = e
            .per_day
            .iter()
            .map(|&n| spark(n, e.per_day.iter().copied().max().unwrap_or(0)))
            .collect();
        writeln!(
            out,
            "  {:>5}  {:<4}  {}  — {}  {}",
            e.docs,
            e.kind,
            e.label,
            peak(&e.per_day),
            bars
        )?;
    }
    writeln!(out, "\n  pairs named together (articles, PMI):")?;
    for p in t.pairs.iter().take(args.top) {
        writeln!(
            out,
            "  {:>5}  {:+.2}  {} + {}",
            p.docs, p.pmi, t.top[p.a].label, t.top[p.b].label
        )?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// A block character for `n` out of `max`.
fn spark(n: u64, max: u64) -> char {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    if max == 0 || n == 0 {
        return ' ';
    }
    BARS[((n * 7).div_ceil(max)) as usize]
}
