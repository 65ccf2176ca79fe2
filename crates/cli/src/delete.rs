//! `qalam delete`: documents removed from an index by id.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;
use qalam_index::QalamIndex;

/// Arguments of `qalam delete`.
#[derive(Args)]
pub struct DeleteArgs {
    /// Index directory.
    #[arg(long)]
    index: PathBuf,
    /// Ids of the documents to delete.
    #[arg(required = true)]
    ids: Vec<String>,
}

/// `qalam delete`: exit 1 when some ids were not in the index.
pub fn delete(args: DeleteArgs) -> Result<ExitCode> {
    let index = QalamIndex::open(&args.index)?;
    let found = index.delete(&args.ids)?;
    eprintln!(
        "qalam: deleted {found} of {} ids; {} documents in {}",
        args.ids.len(),
        index.num_docs(),
        args.index.display()
    );
    Ok(if found as usize == args.ids.len() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
