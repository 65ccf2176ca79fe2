//! `qalam demo`: the bundled sample articles indexed into a data directory and served.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use qalam_corpus::{Format, read_bytes};
use qalam_index::{AnalyzerSettings, QalamIndex};

use crate::serve::{ServerArgs, run_server};

/// The bundled sample corpus: short news-style articles written for qalam (see `sample/README.md`).
pub const SAMPLE_JSONL: &[u8] = include_bytes!("../sample/articles.jsonl");

/// Arguments of `qalam demo`.
#[derive(Args)]
pub struct DemoArgs {
    /// Directory for the demo index (created if missing).
    #[arg(long, default_value = "qalam-data")]
    data_dir: PathBuf,
    #[command(flatten)]
    server: ServerArgs,
}

/// `qalam demo`.
pub fn demo(args: DemoArgs) -> Result<ExitCode> {
    let config = args.server.config()?;
    let limits = args.server.query_limits.limits()?;
    let dir = args.data_dir.join("index");
    let (mut index, created) = QalamIndex::open_or_create(&dir, AnalyzerSettings::default())?;
    index.set_query_limits(limits);
    let mut docs = Vec::new();
    for record in read_bytes("sample/articles.jsonl", SAMPLE_JSONL, Format::Jsonl) {
        docs.push(record.context("bundled sample corpus")?);
    }
    let report = index.add(docs)?;
    eprintln!(
        "qalam: demo index {} {}: {} sample articles ({} new), {} documents in all",
        dir.display(),
        if created { "created" } else { "updated" },
        report.indexed(),
        report.added,
        report.docs_in_index
    );
    run_server(index, &dir, config, &args.server.addr)
}
