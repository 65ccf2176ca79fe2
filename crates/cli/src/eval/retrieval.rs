//! `qalam eval retrieval`: question → passage retrieval (MRR@10, Recall@10, Recall@100) on an
//! in-memory index, with optional distractors, field weights and latency.

use std::path::Path;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::Args;
use qalam_index::eval::{Metrics, Qrels, quantile, read_corpus_tsv, read_queries_tsv};
use qalam_index::{AnalyzerSettings, Boosts, QalamIndex, QueryMode, SearchRequest, WriterOptions};

use super::read_distractors;
use crate::analyzer_args::AnalyzerArgs;

/// Arguments of `qalam eval retrieval`.
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
    #[command(flatten)]
    analyzer: AnalyzerArgs,
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

fn set_name(path: &Path) -> String {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("?");
    name.split('.').next().unwrap_or(name).to_string()
}

/// `qalam eval retrieval`: MRR@10, Recall@10 and Recall@100 of question → passage retrieval.
pub fn run(args: RetrievalArgs) -> Result<ExitCode> {
    let settings = args.analyzer.settings()?;
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
