//! `qalam eval ner`: CoNLL entity-level precision, recall and F1 of the NER model on a gold file.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use qalam_tagger::ner;

use crate::tag::load_ner_model;
use crate::train::ner::print_report;

/// Arguments of `qalam eval ner`.
#[derive(Args, Debug, Clone)]
pub struct EvalNerArgs {
    /// Gold file: `token TAG` per line, blank line between sentences.
    pub gold: PathBuf,
    /// Model file (default: the embedded model).
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Map AQMAR tags (PER, MIS*) to ANERcorp's before scoring; a directory reads every *.txt.
    #[arg(long)]
    pub aqmar: bool,
}

/// `qalam eval ner GOLD`: tags the gold tokens and prints conlleval scores.
pub fn run(args: EvalNerArgs) -> Result<ExitCode> {
    let tagger = load_ner_model(args.model.as_deref())?;
    let gold = if args.gold.is_dir() {
        ner::read_aqmar_dir(&args.gold)?
    } else {
        let text = std::fs::read(&args.gold)
            .with_context(|| format!("reading {}", args.gold.display()))?;
        let text = String::from_utf8_lossy(&text);
        if args.aqmar {
            ner::parse_conll(&text, ner::map_aqmar_tag)
        } else {
            ner::parse_conll(&text, |t| t.to_string())
        }
    };
    print_report(&args.gold.display().to_string(), &tagger.evaluate(&gold));
    Ok(ExitCode::SUCCESS)
}
