//! `qalam eval pos`: UPOS/XPOS/FEATS/lemma accuracy of the PADT tagger and lemmatizer on gold
//! words (the held-out part of train, dev-2016) and of the whole pipeline on raw text.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;
use qalam_tagger::padt::eval::{score_pipeline, score_tagger};

use crate::train::padt::{GoldArgs, load_pipeline, read_gold};

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
    print!("{}", score_tagger(&p.pos, &p.lemma, &held, false).report());
    if args.dev.exists() {
        let dev = read_gold(&args.dev)?;
        println!("== gold words, {}", args.dev.display());
        print!("{}", score_tagger(&p.pos, &p.lemma, &dev, false).report());
        println!("== same, predicted UPOS mapped to the UD v1 labels of that file");
        print!("{}", score_tagger(&p.pos, &p.lemma, &dev, true).report());
    }
    println!("== raw text (segmenter + tagger + lemmatizer), held-out part");
    print!("{}", score_pipeline(&p, &held).report());
    Ok(ExitCode::SUCCESS)
}
