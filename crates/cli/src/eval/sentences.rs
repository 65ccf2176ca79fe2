//! `qalam eval sentences`: sentence-boundary F1 on UD CoNLL-U text.

use std::collections::HashSet;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;

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

/// Precision, recall and F1 of sentence spans, compared on non-space character positions
/// (the CoNLL 2018 shared-task convention).
pub fn sentence_f1(docs: &[Vec<String>]) -> (f64, f64, f64, usize) {
    let (mut tp, mut n_gold, mut n_pred) = (0usize, 0usize, 0usize);
    for doc in docs {
        let text = doc.join(" ");
        // Map byte offsets to counts of non-whitespace chars before them.
        let mut nonspace_before = Vec::with_capacity(text.len() + 1);
        let mut k = 0usize;
        for (i, c) in text.char_indices() {
            while nonspace_before.len() <= i {
                nonspace_before.push(k);
            }
            if !c.is_whitespace() {
                k += 1;
            }
        }
        while nonspace_before.len() <= text.len() {
            nonspace_before.push(k);
        }
        let mut gold = HashSet::new();
        let mut at = 0usize;
        for s in doc {
            let (a, b) = (at, at + s.len());
            let lead = s.len() - s.trim_start().len();
            let trail = s.len() - s.trim_end().len();
            if a + lead < b - trail {
                gold.insert((nonspace_before[a + lead], nonspace_before[b - trail]));
            }
            at = b + 1;
        }
        let pred: HashSet<_> = qalam_text::sentences(&text)
            .iter()
            .map(|s| (nonspace_before[s.start], nonspace_before[s.end]))
            .collect();
        tp += gold.intersection(&pred).count();
        n_gold += gold.len();
        n_pred += pred.len();
    }
    let p = tp as f64 / n_pred.max(1) as f64;
    let r = tp as f64 / n_gold.max(1) as f64;
    let f = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    (p, r, f, n_gold)
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
    let (p, r, f, n) = sentence_f1(&docs);
    println!(
        "sentences: {n} in {} documents of {} | precision {:.2} recall {:.2} F1 {:.2}",
        docs.len(),
        args.doc_sentences,
        p * 100.0,
        r * 100.0,
        f * 100.0
    );
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perfect_and_merged_sentences() {
        let docs = vec![vec!["ذهب الولد.".to_string(), "ثم عاد.".to_string()]];
        let (p, r, f, n) = sentence_f1(&docs);
        assert_eq!((p, r, f, n), (1.0, 1.0, 1.0, 2));
        let docs = vec![vec!["عنوان بلا نقطة".to_string(), "ثم عاد.".to_string()]];
        let (p, r, _, _) = sentence_f1(&docs);
        assert_eq!((p, r), (0.0, 0.0));
    }
}
