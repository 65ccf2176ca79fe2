//! `qalam index`: documents read from files, directories, zips or stdin into an index, with the
//! reading aids of the shared pipeline; a progress bar, per-record errors and atomic commits.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Result, bail};
use clap::Args;
use indicatif::ProgressBar;
use qalam_analysis::{Pipeline, PipelineOptions};
use qalam_corpus::{Limits, MAX_ID_BYTES, read_inputs_with};
use qalam_index::{IngestReport, Ingester, QalamIndex, WriterOptions};

use crate::analyzer_args::AnalyzerArgs;
use crate::progress;
use crate::tag::NerModel;

/// Arguments of `qalam index`.
#[derive(Args)]
pub struct IndexArgs {
    /// Index directory (created if missing or empty).
    #[arg(long)]
    index: PathBuf,
    /// Inputs: .txt, .json, .jsonl, .ndjson or .zip files, directories (recursively), "-" for
    /// stdin; records with "qalam_analysis" are pre-analyzed (see `qalam index --help`).
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    #[command(flatten)]
    analyzer: AnalyzerArgs,
    /// Indexing threads (0: one per core).
    #[arg(long, default_value_t = 0)]
    threads: usize,
    /// Memory budget of the indexing threads, in MB.
    #[arg(long, default_value_t = 256)]
    memory_mb: usize,
    /// Commit after this many documents.
    #[arg(long, default_value_t = 10_000)]
    commit_docs: u64,
    /// Commit after this many MB of text.
    #[arg(long, default_value_t = 64)]
    commit_mb: u64,
    /// Only print rejected records and the summary.
    #[arg(long, short)]
    quiet: bool,
    /// Skip the reading aids (entities, keyphrases, summaries, near-duplicate clusters): faster,
    /// but entity facets, `/api/entities`, `/api/stories` and `--collapse` see nothing of these documents.
    #[arg(long)]
    no_aids: bool,
    /// NER model of the reading aids: `fast` (the perceptron) or `neural` (perceptron + network,
    /// slower).
    #[arg(long, value_enum, default_value_t = NerModel::Fast)]
    ner_model: NerModel,
    #[command(flatten)]
    limits: IngestLimitArgs,
}

const MIB: f64 = (1u64 << 20) as f64;
const GIB: f64 = (1u64 << 30) as f64;

/// Limits on what `qalam index` reads; a record or archive over one is rejected with its reason.
#[derive(Args, Clone, Debug)]
pub struct IngestLimitArgs {
    /// Largest record in MiB (a JSONL line, a JSON array element, a .json object or a .txt file).
    #[arg(long, value_name = "MB", default_value_t = Limits::default().max_record_bytes as f64 / MIB, value_parser = positive)]
    max_record_mb: f64,
    /// Largest total uncompressed size of one zip archive in GiB; its remaining members are
    /// rejected.
    #[arg(long, value_name = "GB", default_value_t = Limits::default().max_zip_bytes as f64 / GIB, value_parser = positive)]
    max_zip_gb: f64,
    /// Largest compression ratio (uncompressed:compressed) of a zip member or archive.
    #[arg(long, value_name = "RATIO", default_value_t = Limits::default().max_zip_ratio,
          value_parser = clap::value_parser!(u64).range(1..))]
    max_zip_ratio: u64,
    /// Longest document id in bytes (at most 512).
    #[arg(long, value_name = "BYTES", default_value_t = MAX_ID_BYTES as u64,
          value_parser = clap::value_parser!(u64).range(1..=MAX_ID_BYTES as u64))]
    max_id_bytes: u64,
}

impl IngestLimitArgs {
    fn limits(&self) -> Limits {
        Limits {
            max_record_bytes: (self.max_record_mb * MIB) as u64,
            max_zip_bytes: (self.max_zip_gb * GIB) as u64,
            max_zip_ratio: self.max_zip_ratio,
            max_id_bytes: self.max_id_bytes as usize,
        }
    }
}

/// Parses a positive, finite number.
fn positive(s: &str) -> std::result::Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 => Ok(v),
        Ok(_) => Err("must be a positive number".into()),
        Err(e) => Err(e.to_string()),
    }
}

/// Sizes of the input files, for the progress bar (stdin counts as unknown).
fn input_sizes(inputs: &[PathBuf]) -> (HashMap<String, u64>, u64) {
    fn walk(path: &Path, top: bool, out: &mut HashMap<String, u64>) {
        let Ok(meta) = std::fs::metadata(path) else {
            return;
        };
        if meta.is_dir() {
            let Ok(entries) = std::fs::read_dir(path) else {
                return;
            };
            for entry in entries.flatten() {
                let p = entry.path();
                let hidden = p
                    .file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with('.'));
                if !hidden {
                    walk(&p, false, out);
                }
            }
        } else if top || qalam_corpus::Format::from_path(path).is_some() {
            out.insert(path.display().to_string(), meta.len());
        }
    }
    let mut sizes = HashMap::new();
    for input in inputs {
        walk(input, true, &mut sizes);
    }
    let total = sizes.values().sum();
    (sizes, total)
}

/// Where progress goes: a bar on a terminal, periodic lines otherwise.
struct Progress {
    bar: Option<ProgressBar>,
    quiet: bool,
    last_line: Instant,
    started: Instant,
    sizes: HashMap<String, u64>,
    current: Option<String>,
    done_bytes: u64,
}

impl Progress {
    fn new(inputs: &[PathBuf], quiet: bool) -> Progress {
        let (sizes, total) = input_sizes(inputs);
        let bar = progress::bar(Some(total.max(1)), progress::BAR, quiet);
        Progress {
            bar,
            quiet,
            last_line: Instant::now(),
            started: Instant::now(),
            sizes,
            current: None,
            done_bytes: 0,
        }
    }

    /// Notes that a record of `path` was read (files are done when the next one starts).
    fn at_file(&mut self, path: &str) {
        if self.current.as_deref() != Some(path) {
            if let Some(prev) = self.current.take() {
                self.done_bytes += self.sizes.get(&prev).copied().unwrap_or(0);
            }
            self.current = Some(path.to_string());
            if let Some(bar) = &self.bar {
                bar.set_position(self.done_bytes);
            }
        }
    }

    fn line(&self, msg: &str) {
        match &self.bar {
            Some(bar) => bar.println(msg),
            None => eprintln!("{msg}"),
        }
    }

    fn tick(&mut self, ingester: &Ingester<'_>) {
        let r = ingester.report();
        let secs = self.started.elapsed().as_secs_f64().max(1e-9);
        let docs = r.indexed();
        let msg = format!(
            "{docs} docs, {:.0} docs/s, {:.1} MB/s, {} rejected",
            docs as f64 / secs,
            r.bytes as f64 / 1e6 / secs,
            r.rejected
        );
        if let Some(bar) = &self.bar {
            bar.set_message(msg);
        } else if !self.quiet && self.last_line.elapsed() >= Duration::from_secs(5) {
            self.last_line = Instant::now();
            eprintln!("qalam: {msg}");
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// `qalam index`: adds documents; exit 1 when records were rejected.
pub fn index(args: IndexArgs) -> Result<ExitCode> {
    let settings = args.analyzer.settings()?;
    let (index, created) = QalamIndex::open_or_create(&args.index, settings.clone())?;
    if !created && args.analyzer.given() && index.settings().analyzer != settings {
        bail!(
            "{}: the index was built with {}; its analysis cannot be changed (use a new directory)",
            args.index.display(),
            index.settings().analyzer.describe()
        );
    }
    let options = WriterOptions {
        threads: args.threads,
        memory_bytes: args.memory_mb << 20,
        commit_docs: args.commit_docs.max(1),
        commit_bytes: args.commit_mb.max(1) << 20,
        aids: if args.no_aids {
            None
        } else {
            Some(Arc::new(Pipeline::new(PipelineOptions {
                entities: args.ner_model.entity_model(),
                ..PipelineOptions::default()
            })?))
        },
    };
    let mut progress = Progress::new(&args.inputs, args.quiet);
    if !args.quiet {
        progress.line(&format!(
            "qalam: {} index {} ({}; {} documents)",
            if created { "creating" } else { "adding to" },
            args.index.display(),
            index.settings().analyzer.describe(),
            index.num_docs()
        ));
    }
    let ingester = index.writer(options)?;
    let report = match ingest(ingester, &args, &mut progress) {
        Ok(report) => report,
        Err(err) => {
            progress.finish();
            return Err(write_failed(&index, &args.index, err));
        }
    };
    progress.finish();
    if !args.quiet {
        eprintln!(
            "qalam: commit: {} documents in the index",
            report.docs_in_index
        );
    }
    eprintln!(
        "qalam: added {}, replaced {}, rejected {}; {:.1} MB in {:.1} s ({:.0} docs/s, {:.2} MB/s); {} documents in {}",
        report.added,
        report.replaced,
        report.rejected,
        report.bytes as f64 / 1e6,
        report.seconds,
        report.indexed() as f64 / report.seconds.max(1e-9),
        report.bytes as f64 / 1e6 / report.seconds.max(1e-9),
        report.docs_in_index,
        args.index.display()
    );
    Ok(if report.rejected > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Reads every input into the index; stops at the first error of the index itself.
fn ingest(
    mut ingester: Ingester<'_>,
    args: &IndexArgs,
    progress: &mut Progress,
) -> std::result::Result<IngestReport, qalam_index::IndexError> {
    for result in read_inputs_with(&args.inputs, args.limits.limits()) {
        match result {
            Ok(doc) => {
                progress.at_file(&doc.origin.path);
                match ingester.add(&doc) {
                    Ok(_) => {}
                    Err(err @ qalam_index::IndexError::Document { .. }) => {
                        progress.line(&format!("qalam: {}: {err}", doc.origin));
                        ingester.reject();
                    }
                    Err(err) => return Err(err),
                }
            }
            Err(err) => {
                if let Some(path) = err.path() {
                    progress.at_file(&path.display().to_string());
                }
                progress.line(&format!("qalam: {err}"));
                ingester.reject();
            }
        }
        if let Some(n) = ingester.maybe_commit()?
            && !args.quiet
        {
            progress.line(&format!("qalam: commit: {n} documents in the index"));
        }
        progress.tick(&ingester);
    }
    ingester.finish()
}

/// The error of a failed write, saying what the index still holds.
fn write_failed(index: &QalamIndex, dir: &Path, err: qalam_index::IndexError) -> anyhow::Error {
    let full = std::iter::successors(Some(&err as &(dyn std::error::Error + 'static)), |e| {
        e.source()
    })
    .any(is_out_of_space);
    let kept = match index.reload() {
        Ok(()) => format!(
            "the index keeps its last commit ({} documents)",
            index.num_docs()
        ),
        Err(_) => "the index keeps its last commit".to_string(),
    };
    anyhow::anyhow!(
        "{}: writing the index failed: {err}{}; {kept}, and documents added after it were not saved",
        dir.display(),
        if full {
            " (the disk is full or a file size limit was reached)"
        } else {
            ""
        }
    )
}

/// True for the I/O errors of a full disk or a file size limit (tantivy passes some of them
/// on as text only, hence the check of the message).
fn is_out_of_space(err: &(dyn std::error::Error + 'static)) -> bool {
    let io = err.downcast_ref::<io::Error>().or_else(|| {
        err.downcast_ref::<std::sync::Arc<io::Error>>()
            .map(|arc| arc.as_ref())
    });
    io.is_some_and(|io| {
        matches!(
            io.kind(),
            io::ErrorKind::StorageFull | io::ErrorKind::FileTooLarge | io::ErrorKind::QuotaExceeded
        )
    }) || err.to_string().contains("os error 28")
        || err.to_string().contains("os error 27")
}
