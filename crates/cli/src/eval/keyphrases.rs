//! `qalam eval keyphrases`: precision@k of keyphrases against title words on held-out articles.

use std::collections::HashSet;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Result;
use clap::Args;
use qalam_analysis::keyphrase::{KeyphraseExtractor, Scoring};
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

/// Stems of the content words of `text`, as keys.
fn stem_keys(text: &str) -> HashSet<u64> {
    let w = Words::new(text);
    (0..w.len()).map(|i| w.ngram_key(i, 1)).collect()
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
    let titles: Vec<_> = docs
        .iter()
        .map(|d| stem_keys(d.title.as_deref().unwrap_or_default()))
        .collect();
    for scoring in [Scoring::TfOnly, Scoring::TfIdf, Scoring::Full] {
        let x = KeyphraseExtractor {
            top: args.k,
            scoring,
            ..KeyphraseExtractor::default()
        };
        let (mut hits, mut shown, mut covered, mut title_words) = (0usize, 0usize, 0usize, 0usize);
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
        for (phrases, title) in all.iter().zip(&titles) {
            let mut found = HashSet::new();
            for p in phrases {
                let stems = stem_keys(&p.key);
                shown += 1;
                if !stems.is_empty() && stems.iter().all(|s| title.contains(s)) {
                    hits += 1;
                }
                found.extend(stems.into_iter().filter(|s| title.contains(s)));
            }
            covered += found.len();
            title_words += title.len();
        }
        println!(
            "| {scoring:?} | {:.3} | {:.3} | {:.0} |",
            hits as f64 / (docs.len() * args.k) as f64,
            covered as f64 / title_words.max(1) as f64,
            docs.len() as f64 / secs.max(1e-9),
        );
        let _ = shown;
    }
    Ok(ExitCode::SUCCESS)
}
