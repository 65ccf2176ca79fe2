//! `qalam index`, `qalam search`, `qalam delete`, `qalam eval retrieval` and
//! `qalam eval index-speed`.

use std::collections::HashMap;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use qalam_analysis::Pipeline;
use qalam_corpus::{Document, Limits, MAX_ID_BYTES, read_inputs, read_inputs_with};
use qalam_index::eval::{Metrics, Qrels, quantile, read_corpus_tsv, read_queries_tsv};
use qalam_index::{
    AnalyzerSettings, Boosts, IngestReport, Ingester, QalamIndex, QueryMode, SearchRequest,
    WriterOptions,
};

use crate::limit_args::QueryLimitArgs;

/// Which analyzer a new index uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum AnalyzerChoice {
    /// qalam's tokenizer, normalization, stopwords and stemmer.
    Qalam,
    /// tantivy's built-in SimpleTokenizer + LowerCaser + Snowball Arabic (for comparison).
    TantivyArabic,
}

/// Analyzer flags shared by `index` and the evaluations.
#[derive(Args, Clone, Debug)]
pub struct AnalyzerArgs {
    /// Stemmer of a new index: light, isri, snowball or none.
    #[arg(long)]
    stemmer: Option<String>,
    /// Keep stopwords (a new index removes them by default).
    #[arg(long)]
    keep_stopwords: bool,
    /// Root stemmer of the extra root fields of a new index (default isri; "none" for no root
    /// fields).
    #[arg(long)]
    root_stemmer: Option<String>,
    /// Analyzer family of a new index.
    #[arg(long, value_enum, default_value_t = AnalyzerChoice::Qalam)]
    analyzer: AnalyzerChoice,
}

impl AnalyzerArgs {
    fn settings(&self) -> Result<AnalyzerSettings> {
        let settings = match self.analyzer {
            AnalyzerChoice::Qalam => AnalyzerSettings {
                stemmer: self.stemmer.clone().unwrap_or_else(|| "light".into()),
                stopwords: !self.keep_stopwords,
                root_stemmer: root_choice(self.root_stemmer.as_deref()),
                ..AnalyzerSettings::default()
            },
            AnalyzerChoice::TantivyArabic => {
                if self.stemmer.is_some() || self.keep_stopwords || self.root_stemmer.is_some() {
                    bail!(
                        "--stemmer, --root-stemmer and --keep-stopwords apply to --analyzer qalam only"
                    );
                }
                AnalyzerSettings::tantivy_arabic()
            }
        };
        settings.build()?;
        Ok(settings)
    }

    fn given(&self) -> bool {
        self.stemmer.is_some()
            || self.keep_stopwords
            || self.root_stemmer.is_some()
            || self.analyzer != AnalyzerChoice::Qalam
    }
}

/// The root stemmer for a `--root-stemmer` value: the default (isri) when absent, none for "none".
fn root_choice(arg: Option<&str>) -> Option<String> {
    match arg {
        None => AnalyzerSettings::default().root_stemmer,
        Some(name) if name.eq_ignore_ascii_case("none") => None,
        Some(name) => Some(name.to_string()),
    }
}

#[derive(Args)]
pub struct IndexArgs {
    /// Index directory (created if missing or empty).
    #[arg(long)]
    index: PathBuf,
    /// Inputs: .txt, .json, .jsonl, .ndjson or .zip files, directories (recursively), "-" for stdin.
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
    #[command(flatten)]
    limits: LimitArgs,
}

const MIB: f64 = (1u64 << 20) as f64;
const GIB: f64 = (1u64 << 30) as f64;

/// Limits on what `qalam index` reads; a record or archive over one is rejected with its reason.
#[derive(Args, Clone, Debug)]
pub struct LimitArgs {
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

impl LimitArgs {
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
        let bar = (!quiet && io::stderr().is_terminal()).then(|| {
            let bar =
                ProgressBar::with_draw_target(Some(total.max(1)), ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} [{elapsed_precise}] {wide_bar} {percent:>3}% ETA {eta} {msg}",
                )
                .expect("valid template"),
            );
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
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
        aids: (!args.no_aids).then(|| Arc::new(Pipeline::default())),
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
) -> std::result::Result<IngestReport, qalam_index::Error> {
    for result in read_inputs_with(&args.inputs, args.limits.limits()) {
        match result {
            Ok(doc) => {
                progress.at_file(&doc.origin.path);
                match ingester.add(&doc) {
                    Ok(_) => {}
                    Err(err @ qalam_index::Error::Document { .. }) => {
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
fn write_failed(index: &QalamIndex, dir: &Path, err: qalam_index::Error) -> anyhow::Error {
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

#[derive(Args)]
pub struct SearchArgs {
    /// Index directory.
    #[arg(long)]
    index: PathBuf,
    /// The query: words, AND/OR/NOT, +word -word, "phrases", field:term (title, body, author,
    /// source, url, id), date:2015-07-21, date:[2015-07-01 TO 2015-07-31].
    query: String,
    /// One JSON object per hit on stdout.
    #[arg(long)]
    json: bool,
    /// Hits to show.
    #[arg(long, short = 'n', default_value_t = 10)]
    limit: usize,
    /// Hits to skip.
    #[arg(long, default_value_t = 0)]
    offset: usize,
    /// Only documents from this source.
    #[arg(long)]
    source: Option<String>,
    /// Only documents dated on or after this day (YYYY-MM-DD).
    #[arg(long)]
    from: Option<String>,
    /// Only documents dated on or before this day (YYYY-MM-DD).
    #[arg(long)]
    to: Option<String>,
    /// Every word must match (AND by default instead of OR).
    #[arg(long)]
    all: bool,
    /// Read the query as plain words, without syntax (for pasted questions or sentences).
    #[arg(long)]
    words: bool,
    /// Also print hit counts by source and by day.
    #[arg(long)]
    facets: bool,
    /// Show one hit per cluster of near-duplicates (the best; copies are counted).
    #[arg(long)]
    collapse: bool,
    #[command(flatten)]
    query_limits: QueryLimitArgs,
}

/// `qalam search`.
pub fn search(args: SearchArgs) -> Result<ExitCode> {
    let limits = args.query_limits.limits()?;
    if args.limit > limits.max_limit {
        bail!(
            "--limit {} is more than {}, the most hits one search shows",
            args.limit,
            limits.max_limit
        );
    }
    if args.offset > limits.max_offset {
        bail!(
            "--offset {} is more than {}, the deepest page start",
            args.offset,
            limits.max_offset
        );
    }
    let mut index = QalamIndex::open(&args.index)?;
    index.set_query_limits(limits);
    let req = SearchRequest {
        q: args.query.clone(),
        mode: if args.words {
            QueryMode::Words
        } else {
            QueryMode::Syntax
        },
        limit: args.limit,
        offset: args.offset,
        source: args.source.clone(),
        from: args.from.clone(),
        to: args.to.clone(),
        all_words: args.all,
        facets: args.facets,
        collapse: args.collapse,
        ..SearchRequest::default()
    };
    let started = Instant::now();
    let results = index.search(&req)?;
    let took = started.elapsed();
    let stdout = io::stdout();
    let color = stdout.is_terminal();
    let mut out = BufWriter::new(stdout.lock());
    if args.json {
        for hit in &results.hits {
            serde_json::to_writer(&mut out, hit)?;
            writeln!(out)?;
        }
        if let Some(facets) = &results.facets {
            serde_json::to_writer(
                &mut out,
                &serde_json::json!({"total": results.total, "facets": facets}),
            )?;
            writeln!(out)?;
        }
    } else {
        let first = args.offset + 1;
        let last = args.offset + results.hits.len();
        writeln!(
            out,
            "{} hits{} ({:.1} ms)",
            results.total,
            if results.hits.is_empty() {
                String::new()
            } else {
                format!(", showing {first}-{last}")
            },
            took.as_secs_f64() * 1e3
        )?;
        for (i, hit) in results.hits.iter().enumerate() {
            writeln!(out)?;
            writeln!(
                out,
                "{}. {}  [{:.2}]",
                first + i,
                hit.title.as_deref().unwrap_or("(no title)"),
                hit.score
            )?;
            let mut meta = vec![format!("id {}", hit.id)];
            meta.extend(hit.source.iter().map(|s| format!("source {s}")));
            meta.extend(hit.date.iter().map(|d| format!("date {d}")));
            meta.extend(hit.author.iter().map(|a| format!("author {a}")));
            writeln!(out, "   {}", meta.join(" | "))?;
            let s = &hit.snippet;
            let mut line = String::new();
            let mut at = 0;
            for &(a, b) in &s.highlights {
                line.push_str(&s.text[at..a]);
                line.push_str(if color { "\x1b[1;33m" } else { "[" });
                line.push_str(&s.text[a..b]);
                line.push_str(if color { "\x1b[0m" } else { "]" });
                at = b;
            }
            line.push_str(&s.text[at..]);
            writeln!(
                out,
                "   {}",
                line.split_whitespace().collect::<Vec<_>>().join(" ")
            )?;
        }
        if let Some(facets) = &results.facets {
            writeln!(out)?;
            let join = |v: &[(String, u64)]| {
                v.iter()
                    .map(|(k, n)| format!("{k} {n}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            writeln!(out, "by source: {}", join(&facets.by_source))?;
            writeln!(out, "by day: {}", join(&facets.by_day))?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

#[derive(Args)]
pub struct RetrievalArgs {
    /// Passages: pid<TAB>title<TAB>text.
    #[arg(long)]
    corpus: PathBuf,
    /// Questions: qid<TAB>question.
    #[arg(long)]
    queries: PathBuf,
    /// TREC qrels: qid 0 pid 1.
    #[arg(long)]
    qrels: PathBuf,
    /// Never-relevant documents pooled with the passages (zips, JSON/JSONL, .txt, directories).
    #[arg(long, num_args = 1..)]
    distractors: Vec<PathBuf>,
    /// Stemmer: light, isri, snowball or none.
    #[arg(long)]
    stemmer: Option<String>,
    /// Keep stopwords.
    #[arg(long)]
    keep_stopwords: bool,
    /// Root stemmer of the root fields (default isri; "none" for none).
    #[arg(long)]
    root_stemmer: Option<String>,
    /// Use tantivy's built-in Arabic pipeline instead of qalam's analyzer.
    #[arg(long)]
    tantivy_builtin: bool,
    /// Field weights to evaluate, as title,title_exact,body,body_exact[,title_root,body_root]
    /// (repeatable; default: qalam's defaults).
    #[arg(long)]
    boosts: Vec<String>,
    /// Also time every question: bag-of-words top 100, and full searches (top 10 + snippets).
    #[arg(long)]
    latency: bool,
}

fn parse_boosts(s: &str) -> Result<Boosts> {
    let v: Vec<f32> = s
        .split(',')
        .map(|x| x.trim().parse::<f32>())
        .collect::<Result<_, _>>()
        .with_context(|| format!("bad --boosts {s:?}"))?;
    let (title, title_exact, body, body_exact, title_root, body_root) = match v[..] {
        [t, te, b, be] => (t, te, b, be, 0.0, 0.0),
        [t, te, b, be, tr, br] => (t, te, b, be, tr, br),
        _ => bail!(
            "--boosts takes 4 or 6 numbers: title,title_exact,body,body_exact[,title_root,body_root]"
        ),
    };
    Ok(Boosts {
        title,
        title_exact,
        body,
        body_exact,
        title_root,
        body_root,
        ..Boosts::default()
    })
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

fn set_name(path: &Path) -> String {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("?");
    name.split('.').next().unwrap_or(name).to_string()
}

/// `qalam eval retrieval`: MRR@10, Recall@10 and Recall@100 of question → passage retrieval.
pub fn retrieval(args: RetrievalArgs) -> Result<ExitCode> {
    let settings = if args.tantivy_builtin {
        if args.stemmer.is_some() || args.keep_stopwords || args.root_stemmer.is_some() {
            bail!(
                "--stemmer, --root-stemmer and --keep-stopwords do not apply to --tantivy-builtin"
            );
        }
        AnalyzerSettings::tantivy_arabic()
    } else {
        AnalyzerSettings {
            stemmer: args.stemmer.clone().unwrap_or_else(|| "light".into()),
            stopwords: !args.keep_stopwords,
            root_stemmer: root_choice(args.root_stemmer.as_deref()),
            ..AnalyzerSettings::default()
        }
    };
    let passages = read_corpus_tsv(&args.corpus)?;
    let queries = read_queries_tsv(&args.queries)?;
    let qrels = Qrels::read(&args.qrels)?;
    let (distractors, rejected) = read_distractors(&args.distractors);
    let mut index = QalamIndex::create_in_ram(settings.clone())?;
    let mut writer = index.writer(WriterOptions {
        commit_docs: u64::MAX,
        commit_bytes: u64::MAX,
        ..WriterOptions::default()
    })?;
    for doc in passages.iter().chain(&distractors) {
        writer.add(doc)?;
    }
    let report = writer.finish()?;
    eprintln!(
        "qalam: indexed {} passages + {} distractors ({} rejected) in {:.1} s with {}",
        passages.len(),
        distractors.len(),
        rejected,
        report.seconds,
        settings.describe()
    );
    if report.replaced > 0 {
        eprintln!(
            "qalam: warning: {} documents had duplicate ids",
            report.replaced
        );
    }
    let boosts: Vec<Boosts> = if args.boosts.is_empty() {
        vec![Boosts::default()]
    } else {
        args.boosts
            .iter()
            .map(|b| parse_boosts(b))
            .collect::<Result<_>>()?
    };
    let set = set_name(&args.queries);
    for b in boosts {
        index.set_boosts(b.clone());
        let mut run = Vec::with_capacity(queries.len());
        let mut times = Vec::with_capacity(queries.len());
        for (qid, q) in &queries {
            let t = Instant::now();
            let query = index.words_query(q)?;
            let ids: Vec<String> = index
                .top_ids(&*query, 100)?
                .into_iter()
                .map(|(id, _)| id)
                .collect();
            times.push(t.elapsed().as_secs_f64() * 1e3);
            run.push((qid.clone(), ids));
        }
        let m = Metrics::score(&run, &qrels);
        println!(
            "eval set={set} analyzer={} boosts={},{},{},{},{},{} docs={} distractors={} judged={} MRR@10={:.4} R@10={:.4} R@100={:.4}",
            analyzer_label(&settings),
            b.title,
            b.title_exact,
            b.body,
            b.body_exact,
            b.title_root,
            b.body_root,
            report.docs_in_index,
            distractors.len(),
            m.judged,
            m.mrr10,
            m.recall10,
            m.recall100
        );
        if args.latency {
            latency_report(&index, &queries, times)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn analyzer_label(s: &AnalyzerSettings) -> String {
    match s.kind {
        qalam_index::AnalyzerKind::Qalam => {
            format!(
                "qalam-{}{}{}",
                s.stemmer,
                s.root_stemmer
                    .as_ref()
                    .map(|r| format!("+{r}"))
                    .unwrap_or_default(),
                if s.stopwords { "" } else { "-keepstop" }
            )
        }
        qalam_index::AnalyzerKind::TantivyArabic => "tantivy-builtin".to_string(),
    }
}

/// Prints p50/p99 of a first pass (`first`, ms) and of warm passes of bag-of-words top-100
/// searches and of full `search` calls.
fn latency_report(index: &QalamIndex, queries: &[(String, String)], first: Vec<f64>) -> Result<()> {
    let mut words = Vec::new();
    let mut full = Vec::new();
    for _ in 0..3 {
        for (_, q) in queries {
            let t = Instant::now();
            let query = index.words_query(q)?;
            index.top_ids(&*query, 100)?;
            words.push(t.elapsed().as_secs_f64() * 1e3);
            let t = Instant::now();
            let req = SearchRequest {
                q: q.clone(),
                mode: QueryMode::Words,
                facets: true,
                ..SearchRequest::default()
            };
            index.search(&req)?;
            full.push(t.elapsed().as_secs_f64() * 1e3);
        }
    }
    for (name, mut v) in [
        ("cold top-100", first),
        ("top-100", words),
        ("search top-10+snippets+facets", full),
    ] {
        v.sort_by(f64::total_cmp);
        let mean = v.iter().sum::<f64>() / v.len().max(1) as f64;
        println!(
            "latency {name}: n={} p50={:.2} ms p90={:.2} ms p99={:.2} ms mean={:.2} ms",
            v.len(),
            quantile(&v, 0.5),
            quantile(&v, 0.9),
            quantile(&v, 0.99),
            mean
        );
    }
    Ok(())
}

#[derive(Args)]
pub struct IndexSpeedArgs {
    /// Inputs to index (read into memory first), e.g. ../shared/data/saudinewsnet.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Runs per analyzer (alternating); the median is reported.
    #[arg(long, default_value_t = 3)]
    repeat: usize,
    /// Indexing threads (0: one per core).
    #[arg(long, default_value_t = 0)]
    threads: usize,
    /// Scratch directory for the indexes (default: the system temp dir).
    #[arg(long)]
    scratch: Option<PathBuf>,
    /// Also time qalam with its reading aids (entities, keyphrases, summary, clusters) computed at
    /// ingest, as `qalam index` does by default; the two analyzers are compared without them.
    #[arg(long)]
    aids: bool,
}

/// `qalam eval index-speed`: docs/s and MB/s of qalam's analyzer vs tantivy's built-in one.
pub fn index_speed(args: IndexSpeedArgs) -> Result<ExitCode> {
    let (docs, rejected) = read_distractors(&args.inputs);
    let bytes: usize = docs
        .iter()
        .map(|d| d.title.as_ref().map_or(0, String::len) + d.body.len())
        .sum();
    eprintln!(
        "qalam: {} documents ({:.1} MB of title + body, {rejected} rejected) in memory",
        docs.len(),
        bytes as f64 / 1e6
    );
    let scratch = args.scratch.clone().unwrap_or_else(std::env::temp_dir);
    let mut configs = vec![
        ("qalam", AnalyzerSettings::default(), false),
        ("tantivy-builtin", AnalyzerSettings::tantivy_arabic(), false),
    ];
    if args.aids {
        configs.push(("qalam+aids", AnalyzerSettings::default(), true));
    }
    let mut secs: Vec<Vec<f64>> = vec![Vec::new(); configs.len()];
    for round in 0..args.repeat.max(1) {
        for (i, (name, settings, aids)) in configs.iter().enumerate() {
            let dir = scratch.join(format!(
                "qalam-index-speed-{}-{name}-{round}",
                std::process::id()
            ));
            let _ = std::fs::remove_dir_all(&dir);
            let index = QalamIndex::create(&dir, settings.clone())?;
            let t = Instant::now();
            let mut writer = index.writer(WriterOptions {
                threads: args.threads,
                commit_docs: u64::MAX,
                commit_bytes: u64::MAX,
                aids: aids.then(|| Arc::new(Pipeline::default())),
                ..WriterOptions::default()
            })?;
            for doc in &docs {
                writer.add(doc)?;
            }
            let report = writer.finish()?;
            let s = t.elapsed().as_secs_f64();
            let size = dir_size(&dir);
            drop(index);
            std::fs::remove_dir_all(&dir).with_context(|| format!("removing {}", dir.display()))?;
            eprintln!(
                "qalam: round {} {name}: {:.2} s, {:.0} docs/s, {:.2} MB/s, index {:.1} MB",
                round + 1,
                s,
                report.indexed() as f64 / s,
                bytes as f64 / 1e6 / s,
                size as f64 / 1e6
            );
            secs[i].push(s);
        }
    }
    let mut medians = Vec::new();
    for ((name, _, _), mut v) in configs.iter().zip(secs) {
        v.sort_by(f64::total_cmp);
        let med = quantile(&v, 0.5);
        medians.push(med);
        println!(
            "index-speed analyzer={name} docs={} MB={:.1} median_s={:.2} docs/s={:.0} MB/s={:.2}",
            docs.len(),
            bytes as f64 / 1e6,
            med,
            docs.len() as f64 / med,
            bytes as f64 / 1e6 / med
        );
    }
    println!(
        "index-speed qalam/tantivy-builtin throughput ratio={:.2}",
        medians[1] / medians[0]
    );
    Ok(ExitCode::SUCCESS)
}

fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|e| e.metadata().ok())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}
