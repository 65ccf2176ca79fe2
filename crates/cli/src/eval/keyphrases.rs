//! `qalam eval keyphrases`: precision@k of keyphrases against title words on held-out articles.

use std::process::ExitCode;
use std::time::Instant;

use anyhow::Result;
use clap::Args;
use qalam_analysis::keyphrase::{KeyphraseExtractor, Scoring, TitleScores};
use qalam_analysis::words::Words;

use super::HeldOutArgs;

/// Arguments of `qalam eval keyphrases`.
#[derive(Args)]
pub struct EvalKeyphrasesArgs {
    #[command(flatten)]
    docs: HeldOutArgs,
    /// Keyphrases scored per document.
    #[arg(long, default_value_t = 5)]
    k: usize,
    /// Print the title and keyphrases of the first N documents (to stderr).
    #[arg(long, default_value_t = 0)]
    show: usize,
}

/// `qalam eval keyphrases`: precision@k against title words, next to baselines.
pub fn run(args: EvalKeyphrasesArgs) -> Result<ExitCode> {
    let docs = args.docs.documents();
    anyhow::ensure!(
        !docs.is_empty(),
        "no held-out documents with titles were read"
    );
    println!(
        "keyphrases: {} held-out SaudiNewsNet articles ({:?} split); a keyphrase is a hit when all its word stems are title stems",
        docs.len(),
        args.docs.split
    );
    println!(
        "| scoring | P@{k} | title stems covered by top {k} | docs/s |",
        k = args.k
    );
    println!("|---|---|---|---|");
    for scoring in [Scoring::TfOnly, Scoring::TfIdf, Scoring::Full] {
        let x = KeyphraseExtractor {
            top: args.k,
            scoring,
            ..KeyphraseExtractor::default()
        };
        let started = Instant::now();
        let mut words = Words::default();
        let mut all = Vec::with_capacity(docs.len());
        for doc in &docs {
            words.fill(&doc.body);
            all.push(x.extract(&doc.body, &words));
        }
        let secs = started.elapsed().as_secs_f64();
        for (doc, phrases) in docs.iter().zip(&all).take(args.show) {
            let list: Vec<&str> = phrases.iter().map(|p| p.text.as_str()).collect();
            eprintln!(
                "{scoring:?}\t{}\t{}",
                doc.title.as_deref().unwrap_or_default(),
                list.join(" | ")
            );
        }
        let mut scores = TitleScores::default();
        for (doc, phrases) in docs.iter().zip(&all) {
            scores.add(doc.title.as_deref().unwrap_or_default(), phrases);
        }
        println!(
            "| {scoring:?} | {:.3} | {:.3} | {:.0} |",
            scores.precision_at(args.k),
            scores.coverage(),
            docs.len() as f64 / secs.max(1e-9),
        );
    }
    Ok(ExitCode::SUCCESS)
}
