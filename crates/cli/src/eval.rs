//! `qalam eval …`: measurements against gold data under ../shared/data.

use std::collections::HashSet;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, Subcommand};

#[derive(Subcommand)]
pub enum EvalCommand {
    /// Sentence-boundary F1 on UD CoNLL-U text (documents rebuilt from consecutive sentences).
    Sentences(SentencesArgs),
    /// Question → passage retrieval: MRR@10, Recall@10 and Recall@100 (builds an index in memory).
    Retrieval(crate::index_cmd::RetrievalArgs),
    /// Indexing throughput of qalam's analyzer vs tantivy's built-in Arabic one.
    IndexSpeed(crate::index_cmd::IndexSpeedArgs),
    /// Root/stem accuracy of every stemmer on the gold roots (../shared/data/roots, PADT dev Root=).
    Stem(StemEvalArgs),
    /// Keyphrase precision@k against title words on held-out SaudiNewsNet articles.
    Keyphrases(crate::aids_cmd::EvalKeyphrasesArgs),
    /// Summary ROUGE-1/2 against titles on held-out SaudiNewsNet articles, next to lead-k.
    Summary(crate::aids_cmd::EvalSummaryArgs),
    /// Near-duplicate clusters of a corpus in memory, with a sample of pairs to check by hand.
    Dedup(crate::aids_cmd::EvalDedupArgs),
    /// CoNLL entity-level precision/recall/F1 of the NER model on a gold BIO file.
    Ner(crate::ner_cmd::EvalNerArgs),
    /// Words F1 (CoNLL 2018) of the PADT segmenter on the held-out part of train.
    Seg(crate::padt_cmd::EvalArgs),
    /// UPOS/XPOS/FEATS/lemma accuracy on gold words (held-out part, dev-2016) and from raw text.
    Pos(crate::padt_cmd::EvalArgs),
}

pub fn run(cmd: EvalCommand) -> Result<ExitCode> {
    match cmd {
        EvalCommand::Sentences(a) => sentences(a),
        EvalCommand::Stem(a) => stem_eval(a),
        EvalCommand::Ner(a) => crate::ner_cmd::run_eval(a),
        EvalCommand::Seg(mut a) => {
            a.model = crate::padt_cmd::PadtModel::Seg;
            crate::padt_cmd::run_eval(&a).map(|()| ExitCode::SUCCESS)
        }
        EvalCommand::Pos(mut a) => {
            a.model = crate::padt_cmd::PadtModel::Pos;
            crate::padt_cmd::run_eval(&a).map(|()| ExitCode::SUCCESS)
        }
        EvalCommand::Retrieval(a) => crate::index_cmd::retrieval(a),
        EvalCommand::IndexSpeed(a) => crate::index_cmd::index_speed(a),
        EvalCommand::Keyphrases(a) => crate::aids_cmd::eval_keyphrases(a),
        EvalCommand::Summary(a) => crate::aids_cmd::eval_summary(a),
        EvalCommand::Dedup(a) => crate::aids_cmd::eval_dedup(a),
    }
}

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

fn sentences(args: SentencesArgs) -> Result<ExitCode> {
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

#[derive(Args)]
pub struct StemEvalArgs {
    /// The shared data folder (holds roots/ and ud-padt/).
    #[arg(long, default_value = "../shared/data")]
    data: PathBuf,
}

fn stem_eval(args: StemEvalArgs) -> Result<ExitCode> {
    use qalam_morph::Stemmer;
    use qalam_morph::eval::{
        GoldenColumn, load_golden_corpus, load_padt_roots, load_root_validation, root_accuracy,
    };
    let golden = args.data.join("roots/golden-corpus-arabic");
    let sets = vec![
        (
            "golden-corpus roots",
            load_golden_corpus(&golden, GoldenColumn::Roots)?,
        ),
        (
            "golden-corpus stems",
            load_golden_corpus(&golden, GoldenColumn::Stems)?,
        ),
        (
            "root-validation roots",
            load_root_validation(&args.data.join("roots/root-extraction-validation-data"))?,
        ),
        (
            "PADT dev-2016 roots",
            load_padt_roots(&args.data.join("ud-padt/dev-2016.conllu"))?,
        ),
    ];
    println!("| gold set | n | stemmer | exact | in order | stem letters | gold letters |");
    println!("|---|---:|---|---:|---:|---:|---:|");
    for (name, examples) in &sets {
        for st in Stemmer::ALL {
            let acc = root_accuracy(examples, |w| st.stem(w));
            println!(
                "| {name} | {} | {st} | {:.1}% | {:.1}% | {:.2} | {:.2} |",
                acc.total,
                100.0 * acc.exact_rate(),
                100.0 * acc.in_order_rate(),
                acc.mean_stem_letters(),
                acc.mean_root_letters(),
            );
        }
    }
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
