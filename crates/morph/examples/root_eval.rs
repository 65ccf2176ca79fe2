//! Scores every stemmer against the gold roots and stems under a data folder.
//!
//! Usage: `cargo run -p qalam-morph --example root_eval -- [DATA_DIR]` (default `../shared/data`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use qalam_morph::Stemmer;
use qalam_morph::eval::{
    EvalError, GoldenColumn, RootExample, load_golden_corpus, load_padt_roots,
    load_root_validation, root_accuracy,
};

fn datasets(data: &Path) -> Result<Vec<(&'static str, Vec<RootExample>)>, EvalError> {
    let golden = data.join("roots/golden-corpus-arabic");
    Ok(vec![
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
            load_root_validation(&data.join("roots/root-extraction-validation-data"))?,
        ),
        (
            "PADT dev-2016 roots",
            load_padt_roots(&data.join("ud-padt/dev-2016.conllu"))?,
        ),
    ])
}

fn main() -> ExitCode {
    let data = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "../shared/data".into()),
    );
    let sets = match datasets(&data) {
        Ok(sets) => sets,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::from(2);
        }
    };
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
    ExitCode::SUCCESS
}
