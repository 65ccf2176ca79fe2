//! `qalam eval …`: measurements against gold data under ../shared/data, one module per
//! evaluation; the metrics themselves live in the library crates.

mod dedup;
mod index_speed;
mod keyphrases;
mod ner;
mod pos;
mod retrieval;
mod seg;
mod sentences;
mod stem;
mod summary;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, Subcommand};
use qalam_analysis::df::{HeldOut, held_out};
use qalam_corpus::{Document, read_inputs};

/// The evaluations.
#[derive(Subcommand)]
pub enum EvalCommand {
    /// Sentence-boundary F1 on UD CoNLL-U text (documents rebuilt from consecutive sentences).
    Sentences(sentences::SentencesArgs),
    /// Question → passage retrieval: MRR@10, Recall@10 and Recall@100 (builds an index in memory).
    Retrieval(retrieval::RetrievalArgs),
    /// Indexing throughput of qalam's analyzer vs tantivy's built-in Arabic one.
    IndexSpeed(index_speed::IndexSpeedArgs),
    /// Root/stem accuracy of every stemmer on the gold roots (../shared/data/roots, PADT dev Root=).
    Stem(stem::StemEvalArgs),
    /// Keyphrase precision@k against title words on held-out SaudiNewsNet articles.
    Keyphrases(keyphrases::EvalKeyphrasesArgs),
    /// Summary ROUGE-1/2 against titles on held-out SaudiNewsNet articles, next to lead-k.
    Summary(summary::EvalSummaryArgs),
    /// Near-duplicate clusters of a corpus in memory, with a sample of pairs to check by hand.
    Dedup(dedup::EvalDedupArgs),
    /// CoNLL entity-level precision/recall/F1 of the NER model on a gold BIO file.
    Ner(ner::EvalNerArgs),
    /// Words F1 (CoNLL 2018) of the PADT segmenter on the held-out part of train.
    Seg(seg::EvalSegArgs),
    /// UPOS/XPOS/FEATS/lemma accuracy on gold words (held-out part, dev-2016) and from raw text.
    Pos(pos::EvalPosArgs),
}

/// Runs one evaluation.
pub fn run(cmd: EvalCommand) -> Result<ExitCode> {
    match cmd {
        EvalCommand::Sentences(a) => sentences::run(a),
        EvalCommand::Retrieval(a) => retrieval::run(a),
        EvalCommand::IndexSpeed(a) => index_speed::run(a),
        EvalCommand::Stem(a) => stem::run(a),
        EvalCommand::Keyphrases(a) => keyphrases::run(a),
        EvalCommand::Summary(a) => summary::run(a),
        EvalCommand::Dedup(a) => dedup::run(a),
        EvalCommand::Ner(a) => ner::run(a),
        EvalCommand::Seg(a) => seg::run(a),
        EvalCommand::Pos(a) => pos::run(a),
    }
}

/// Which held-out documents an evaluation reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum HeldOutSplit {
    /// Half of the held-out documents, for tuning.
    Dev,
    /// The other half, for reporting.
    Test,
    /// All held-out documents.
    All,
}

/// Arguments shared by `qalam eval keyphrases` and `qalam eval summary`.
#[derive(Args)]
pub struct HeldOutArgs {
    /// Articles (the documents `qalam train df` held out are used).
    #[arg(long, default_value = "../shared/data/saudinewsnet")]
    data: Vec<PathBuf>,
    /// The `--holdout` the embedded table was trained with.
    #[arg(long, default_value_t = 10)]
    holdout: u64,
    /// Which half of the held-out documents to read.
    #[arg(long, value_enum, default_value_t = HeldOutSplit::Test)]
    pub split: HeldOutSplit,
    /// Read at most this many documents (0: all).
    #[arg(long, default_value_t = 0)]
    limit: usize,
}

impl HeldOutArgs {
    /// Held-out documents of the chosen split that have a title and a body.
    pub fn documents(&self) -> Vec<Document> {
        let mut out = Vec::new();
        for doc in read_inputs(&self.data).flatten() {
            let keep = match (held_out(&doc.id, self.holdout), self.split) {
                (None, _) => false,
                (Some(_), HeldOutSplit::All) => true,
                (Some(half), HeldOutSplit::Dev) => half == HeldOut::Dev,
                (Some(half), HeldOutSplit::Test) => half == HeldOut::Test,
            };
            let titled = doc.title.as_deref().is_some_and(|t| !t.trim().is_empty());
            if keep && titled && !doc.body.trim().is_empty() {
                out.push(doc);
                if self.limit > 0 && out.len() >= self.limit {
                    break;
                }
            }
        }
        out
    }
}

/// Reads distractor documents, numbering them `d:1`, `d:2`, … (so duplicate articles are all
/// kept, as a baseline indexing every record would); returns them and the rejected count.
fn read_distractors(paths: &[PathBuf]) -> (Vec<Document>, usize) {
    let mut docs = Vec::new();
    let mut rejected = 0;
    for result in read_inputs(paths) {
        match result {
            Ok(mut doc) => {
                doc.id = format!("d:{}", docs.len() + 1);
                docs.push(doc);
            }
            Err(err) => {
                eprintln!("qalam: {err}");
                rejected += 1;
            }
        }
    }
    (docs, rejected)
}
