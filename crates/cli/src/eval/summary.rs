//! `qalam eval summary`: ROUGE of summaries against titles on held-out articles, next to lead-k.

use std::process::ExitCode;
use std::time::Instant;

use anyhow::Result;
use clap::Args;
use qalam_analysis::rouge::{rouge_n, rouge_tokens};
use qalam_analysis::summary::{Summarizer, SummaryMethod};
use qalam_analysis::words::Words;

use super::HeldOutArgs;

/// Arguments of `qalam eval summary`.
#[derive(Args)]
pub struct EvalSummaryArgs {
    #[command(flatten)]
    docs: HeldOutArgs,
    /// Summary lengths in sentences.
    #[arg(long, value_delimiter = ',', default_value = "1,3")]
    k: Vec<usize>,
    /// Strength of the lead prior of the TextRank summarizer.
    #[arg(long)]
    position: Option<f32>,
}

/// `qalam eval summary`: ROUGE against titles for TextRank(+prior), TextRank alone and lead-k.
pub fn run(args: EvalSummaryArgs) -> Result<ExitCode> {
    let docs = args.docs.documents();
    anyhow::ensure!(
        !docs.is_empty(),
        "no held-out documents with titles were read"
    );
    println!(
        "summary: {} held-out SaudiNewsNet articles ({:?} split); ROUGE on light stems of all words, title as the reference",
        docs.len(),
        args.docs.split
    );
    println!("| method | k | R-1 recall | R-1 F | R-2 recall | R-2 F | docs/s |");
    println!("|---|---|---|---|---|---|---|");
    let prepared: Vec<_> = docs
        .iter()
        .map(|d| {
            let sentences = qalam_text::sentences(&d.body);
            let title = rouge_tokens(d.title.as_deref().unwrap_or_default());
            (sentences, title)
        })
        .collect();
    for &k in &args.k {
        for method in [
            SummaryMethod::Lead,
            SummaryMethod::TextRankOnly,
            SummaryMethod::TextRank,
        ] {
            let mut s = Summarizer {
                sentences: k,
                method,
                ..Summarizer::default()
            };
            if let Some(p) = args.position {
                s.position = p;
            }
            let mut sums = [0.0f64; 4];
            let mut words = Words::default();
            let mut secs = 0.0;
            for (doc, (sentences, title)) in docs.iter().zip(&prepared) {
                let t = Instant::now();
                words.fill(&doc.body);
                let summary = s.summarize(sentences, &words);
                secs += t.elapsed().as_secs_f64();
                let text: Vec<&str> = summary.iter().map(|x| &doc.body[x.start..x.end]).collect();
                let cand = rouge_tokens(&text.join("\n"));
                let (r1, r2) = (rouge_n(&cand, title, 1), rouge_n(&cand, title, 2));
                for (acc, v) in sums.iter_mut().zip([r1.recall, r1.f1, r2.recall, r2.f1]) {
                    *acc += v;
                }
            }
            let n = docs.len() as f64;
            println!(
                "| {method:?} | {k} | {:.3} | {:.3} | {:.3} | {:.3} | {:.0} |",
                sums[0] / n,
                sums[1] / n,
                sums[2] / n,
                sums[3] / n,
                n / f64::max(secs, 1e-9)
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
