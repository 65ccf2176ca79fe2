//! `qalam eval stem`: root and stem accuracy of every stemmer on the gold roots.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;
use qalam_morph::Stemmer;
use qalam_morph::eval::{
    GoldenColumn, load_golden_corpus, load_padt_roots, load_root_validation, root_accuracy,
};

/// Arguments of `qalam eval stem`.
#[derive(Args)]
pub struct StemEvalArgs {
    /// The shared data folder (holds roots/ and ud-padt/).
    #[arg(long, default_value = "../shared/data")]
    data: PathBuf,
}

/// `qalam eval stem`.
pub fn run(args: StemEvalArgs) -> Result<ExitCode> {
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
