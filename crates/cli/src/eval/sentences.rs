//! `qalam eval sentences`: sentence-boundary F1 on UD CoNLL-U text.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use qalam_text::eval::sentence_scores;

/// Arguments of `qalam eval sentences`.
#[derive(Args)]
pub struct SentencesArgs {
    /// CoNLL-U file whose `# text` or `# text_reconstructed` comments give the sentences.
    #[arg(default_value = "../shared/data/ud-padt/train.conllu")]
    conllu: PathBuf,
    /// Sentences per rebuilt document (joined by a space).
    #[arg(long, default_value_t = 10)]
    doc_sentences: usize,
}

/// `qalam eval sentences`.
pub fn run(args: SentencesArgs) -> Result<ExitCode> {
    let text = std::fs::read_to_string(&args.conllu)
        .with_context(|| format!("{}: cannot read", args.conllu.display()))?;
    let sents: Vec<String> = text
        .lines()
        .filter_map(|l| {
            l.strip_prefix("# text_reconstructed = ")
                .or_else(|| l.strip_prefix("# text = "))
        })
        .map(str::to_string)
        .collect();
    anyhow::ensure!(
        !sents.is_empty(),
        "{}: no `# text` comments found",
        args.conllu.display()
    );
    let docs: Vec<Vec<String>> = sents
        .chunks(args.doc_sentences.max(1))
        .map(<[String]>::to_vec)
        .collect();
    let s = sentence_scores(&docs);
    println!(
        "sentences: {} in {} documents of {} | precision {:.2} recall {:.2} F1 {:.2}",
        s.gold,
        docs.len(),
        args.doc_sentences,
        s.precision * 100.0,
        s.recall * 100.0,
        s.f1 * 100.0
    );
    Ok(ExitCode::SUCCESS)
}
