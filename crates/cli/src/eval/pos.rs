//! `qalam eval pos`: UPOS/XPOS/FEATS/lemma accuracy of the PADT tagger and lemmatizer on gold
//! words (the held-out part of train, dev-2016) and of the whole pipeline on raw text.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;
use qalam_tagger::padt::eval::{Counts, gold_words, pipeline_words, tagged_gold_words, ud1_upos};

use crate::train::padt::{GoldArgs, load_pipeline, read_gold, score_gold};

/// Arguments of `qalam eval pos`.
#[derive(Args, Debug, Clone)]
pub struct EvalPosArgs {
    #[command(flatten)]
    pub gold: GoldArgs,
    /// Extra gold-word file scored too (FORM may be vocalized); skipped when missing.
    #[arg(long, default_value = "../shared/data/ud-padt/dev-2016.conllu")]
    pub dev: PathBuf,
    /// Directory with seg.qlm/pos.qlm/lemma.qlm to score instead of the embedded models.
    #[arg(long)]
    pub models: Option<PathBuf>,
}

/// `qalam eval pos`.
pub fn run(args: EvalPosArgs) -> Result<ExitCode> {
    let p = load_pipeline(args.models.as_deref())?;
    let (_, held) = args.gold.load()?;
    println!("== gold words, held-out {}% of train", args.gold.held_out);
    print!("{}", score_gold(&p.pos, &p.lemma, &held).report());
    if args.dev.exists() {
        let dev = read_gold(&args.dev)?;
        println!("== gold words, {}", args.dev.display());
        print!("{}", score_gold(&p.pos, &p.lemma, &dev).report());
        println!("== same, predicted UPOS mapped to the UD v1 labels of that file");
        let mut c = Counts::default();
        for s in &dev {
            let (g, mut y) = tagged_gold_words(&p.pos, &p.lemma, &s.words);
            for w in &mut y {
                w.upos = ud1_upos(&w.upos, &w.xpos).to_string();
            }
            c.add(&g, &y);
        }
        print!("{}", c.report());
    }
    println!("== raw text (segmenter + tagger + lemmatizer), held-out part");
    let mut c = Counts::default();
    for s in &held {
        c.add(&gold_words(s), &pipeline_words(&p, &s.text));
    }
    print!("{}", c.report());
    Ok(ExitCode::SUCCESS)
}
