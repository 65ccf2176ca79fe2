//! Reading aids: `qalam train df`, `qalam eval keyphrases`, `qalam eval summary`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Args;
use qalam_analysis::df::{DfBuilder, DfPruning};
use qalam_analysis::stories::StoryConfig;
use qalam_analysis::words::Words;
use qalam_corpus::{Document, read_inputs};
use qalam_text::hash::Fnv1a;

use crate::limit_args::QueryLimitArgs;

/// True for the documents `qalam train df` leaves out, so evaluations can use them.
pub fn held_out(doc: &Document, every: u64) -> bool {
    if every == 0 {
        return false;
    }
    let mut h = Fnv1a::new();
    h.write(doc.id.as_bytes());
    h.finish().is_multiple_of(every)
}

/// Arguments of `qalam train df`.
#[derive(Args)]
pub struct TrainDfArgs {
    /// Articles to count (SaudiNewsNet zips, JSON, JSONL, …).
    #[arg(long, default_value = "../shared/data/saudinewsnet")]
    data: Vec<PathBuf>,
    /// Where to write the table.
    #[arg(long, default_value = "crates/analysis/data/df.bin")]
    out: PathBuf,
    /// Leave out one document in this many (by id hash) for `qalam eval keyphrases|summary`; 0 keeps all.
    #[arg(long, default_value_t = 10)]
    holdout: u64,
    /// Smallest document frequency kept for single words.
    #[arg(long, default_value_t = DfPruning::default().unigrams)]
    min_unigram: u32,
    /// Smallest document frequency kept for two-word n-grams.
    #[arg(long, default_value_t = DfPruning::default().bigrams)]
    min_bigram: u32,
    /// Smallest document frequency kept for three-word n-grams.
    #[arg(long, default_value_t = DfPruning::default().trigrams)]
    min_trigram: u32,
}

/// `qalam train df`: document frequencies of stem n-grams.
pub fn train_df(args: TrainDfArgs) -> Result<ExitCode> {
    let started = Instant::now();
    let mut builder = DfBuilder::new();
    let mut words = Words::default();
    let (mut skipped, mut errors) = (0u64, 0u64);
    for result in read_inputs(&args.data) {
        match result {
            Ok(doc) if held_out(&doc, args.holdout) => skipped += 1,
            Ok(doc) => {
                words.fill(&doc.body);
                builder.add(&words);
            }
            // SaudiNewsNet has a few dozen blank records; they are counted, not fatal.
            Err(_) => errors += 1,
        }
    }
    let pruning = DfPruning {
        unigrams: args.min_unigram,
        bigrams: args.min_bigram,
        trigrams: args.min_trigram,
    };
    let (bytes, per_len) = builder.build(pruning);
    qalam_index::write_durably(&args.out, &bytes)
        .with_context(|| format!("writing {}", args.out.display()))?;
    eprintln!(
        "qalam: {} documents counted ({skipped} held out, {errors} unreadable records) in {:.1} s; kept {} unigrams, {} bigrams, {} trigrams; {:.2} MB in {}",
        builder.docs(),
        started.elapsed().as_secs_f64(),
        per_len[0],
        per_len[1],
        per_len[2],
        bytes.len() as f64 / 1e6,
        args.out.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Which held-out documents an evaluation reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Split {
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
    #[arg(long, value_enum, default_value_t = Split::Test)]
    split: Split,
    /// Read at most this many documents (0: all).
    #[arg(long, default_value_t = 0)]
    limit: usize,
}

impl HeldOutArgs {
    /// Held-out documents of the chosen split that have a title and a body.
    fn documents(&self) -> Vec<Document> {
        let mut out = Vec::new();
        for doc in read_inputs(&self.data).flatten() {
            if !held_out(&doc, self.holdout) {
                continue;
            }
            let mut h = Fnv1a::new();
            h.write(doc.id.as_bytes());
            let dev = (h.finish() / self.holdout.max(1)).is_multiple_of(2);
            let keep = match self.split {
                Split::Dev => dev,
                Split::Test => !dev,
                Split::All => true,
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

/// Arguments of `qalam eval keyphrases`.
#[derive(Args)]
pub struct EvalKeyphrasesArgs {
    #[command(flatten)]
    docs: HeldOutArgs,
    /// Keyphrases scored per document.
    #[arg(long, default_value_t = 5)]
    k: usize,
    /// Print the title and keyphrases of the first N documents (to stderr).
    #[arg(long, default_value_t = 0)]
    show: usize,
}

/// Stems of the content words of `text`, as keys.
fn stem_keys(text: &str) -> std::collections::HashSet<u64> {
    let w = Words::new(text);
    (0..w.len()).map(|i| w.ngram_key(i, 1)).collect()
}

/// `qalam eval keyphrases`: precision@k against title words, next to baselines.
pub fn eval_keyphrases(args: EvalKeyphrasesArgs) -> Result<ExitCode> {
    use qalam_analysis::keyphrase::{KeyphraseExtractor, Scoring};
    let docs = args.docs.documents();
    anyhow::ensure!(
        !docs.is_empty(),
        "no held-out documents with titles were read"
    );
    println!(
        "keyphrases: {} held-out SaudiNewsNet articles ({:?} split); a keyphrase is a hit when all its word stems are title stems",
        docs.len(),
        args.docs.split
    );
    println!(
        "| scoring | P@{k} | title stems covered by top {k} | docs/s |",
        k = args.k
    );
    println!("|---|---|---|---|");
    let titles: Vec<_> = docs
        .iter()
        .map(|d| stem_keys(d.title.as_deref().unwrap_or_default()))
        .collect();
    for scoring in [Scoring::TfOnly, Scoring::TfIdf, Scoring::Full] {
        let x = KeyphraseExtractor {
            top: args.k,
            scoring,
            ..KeyphraseExtractor::default()
        };
        let (mut hits, mut shown, mut covered, mut title_words) = (0usize, 0usize, 0usize, 0usize);
        let started = Instant::now();
        let mut words = Words::default();
        let mut all = Vec::with_capacity(docs.len());
        for doc in &docs {
            words.fill(&doc.body);
            all.push(x.extract(&doc.body, &words));
        }
        let secs = started.elapsed().as_secs_f64();
        for (doc, phrases) in docs.iter().zip(&all).take(args.show) {
            let list: Vec<&str> = phrases.iter().map(|p| p.text.as_str()).collect();
            eprintln!(
                "{scoring:?}\t{}\t{}",
                doc.title.as_deref().unwrap_or_default(),
                list.join(" | ")
            );
        }
        for (phrases, title) in all.iter().zip(&titles) {
            let mut found = std::collections::HashSet::new();
            for p in phrases {
                let stems = stem_keys(&p.key);
                shown += 1;
                if !stems.is_empty() && stems.iter().all(|s| title.contains(s)) {
                    hits += 1;
                }
                found.extend(stems.into_iter().filter(|s| title.contains(s)));
            }
            covered += found.len();
            title_words += title.len();
        }
        println!(
            "| {scoring:?} | {:.3} | {:.3} | {:.0} |",
            hits as f64 / (docs.len() * args.k) as f64,
            covered as f64 / title_words.max(1) as f64,
            docs.len() as f64 / secs.max(1e-9),
        );
        let _ = shown;
    }
    Ok(ExitCode::SUCCESS)
}

/// Arguments of `qalam eval summary`.
#[derive(Args)]
pub struct EvalSummaryArgs {
    #[command(flatten)]
    docs: HeldOutArgs,
    /// Summary lengths in sentences.
    #[arg(long, value_delimiter = ',', default_value = "1,3")]
    k: Vec<usize>,
    /// Strength of the lead prior of the TextRank summarizer.
    #[arg(long)]
    position: Option<f32>,
}

/// Light stems of every word-like token of `text` (stopwords kept), for ROUGE.
fn rouge_tokens(text: &str) -> Vec<String> {
    qalam_text::tokenize(text)
        .into_iter()
        .filter(|t| t.kind.is_wordlike())
        .map(|t| qalam_morph::light_stem(&t.norm))
        .collect()
}

/// ROUGE-n recall and F1 of `cand` against `refr` (clipped n-gram counts).
pub fn rouge(cand: &[String], refr: &[String], n: usize) -> (f64, f64) {
    use std::collections::HashMap;
    fn grams(t: &[String], n: usize) -> HashMap<&[String], usize> {
        let mut m: HashMap<&[String], usize> = HashMap::new();
        for g in t.windows(n) {
            *m.entry(g).or_default() += 1;
        }
        m
    }
    let (c, r) = (grams(cand, n), grams(refr, n));
    let overlap: usize = r
        .iter()
        .map(|(g, &k)| k.min(c.get(g).copied().unwrap_or(0)))
        .sum();
    let (nr, nc) = (r.values().sum::<usize>(), c.values().sum::<usize>());
    let recall = overlap as f64 / nr.max(1) as f64;
    let precision = overlap as f64 / nc.max(1) as f64;
    let f = if overlap > 0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    };
    (recall, f)
}

/// `qalam eval summary`: ROUGE against titles for TextRank(+prior), TextRank alone and lead-k.
pub fn eval_summary(args: EvalSummaryArgs) -> Result<ExitCode> {
    use qalam_analysis::summary::{Summarizer, SummaryMethod};
    let docs = args.docs.documents();
    anyhow::ensure!(
        !docs.is_empty(),
        "no held-out documents with titles were read"
    );
    println!(
        "summary: {} held-out SaudiNewsNet articles ({:?} split); ROUGE on light stems of all words, title as the reference",
        docs.len(),
        args.docs.split
    );
    println!("| method | k | R-1 recall | R-1 F | R-2 recall | R-2 F | docs/s |");
    println!("|---|---|---|---|---|---|---|");
    let prepared: Vec<_> = docs
        .iter()
        .map(|d| {
            let sentences = qalam_text::sentences(&d.body);
            let title = rouge_tokens(d.title.as_deref().unwrap_or_default());
            (sentences, title)
        })
        .collect();
    for &k in &args.k {
        for method in [
            SummaryMethod::Lead,
            SummaryMethod::TextRankOnly,
            SummaryMethod::TextRank,
        ] {
            let mut s = Summarizer {
                sentences: k,
                method,
                ..Summarizer::default()
            };
            if let Some(p) = args.position {
                s.position = p;
            }
            let mut sums = [0.0f64; 4];
            let mut words = Words::default();
            let mut secs = 0.0;
            for (doc, (sentences, title)) in docs.iter().zip(&prepared) {
                let t = Instant::now();
                words.fill(&doc.body);
                let summary = s.summarize(sentences, &words);
                secs += t.elapsed().as_secs_f64();
                let text: Vec<&str> = summary.iter().map(|x| &doc.body[x.start..x.end]).collect();
                let cand = rouge_tokens(&text.join("\n"));
                let (r1, f1) = rouge(&cand, title, 1);
                let (r2, f2) = rouge(&cand, title, 2);
                for (acc, v) in sums.iter_mut().zip([r1, f1, r2, f2]) {
                    *acc += v;
                }
            }
            let n = docs.len() as f64;
            println!(
                "| {method:?} | {k} | {:.3} | {:.3} | {:.3} | {:.3} | {:.0} |",
                sums[0] / n,
                sums[1] / n,
                sums[2] / n,
                sums[3] / n,
                n / f64::max(secs, 1e-9)
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Arguments of `qalam eval dedup`.
#[derive(Args)]
pub struct EvalDedupArgs {
    /// Articles to cluster.
    #[arg(long, default_value = "../shared/data/saudinewsnet")]
    data: Vec<PathBuf>,
    /// Linked pairs to print for checking by hand (a deterministic sample).
    #[arg(long, default_value_t = 30)]
    sample: usize,
    /// Characters of each body printed with a sampled pair.
    #[arg(long, default_value_t = 300)]
    chars: usize,
}

/// `qalam eval dedup`: near-duplicate clusters of a corpus (in memory), with a sample of linked
/// pairs to check by hand.
pub fn eval_dedup(args: EvalDedupArgs) -> Result<ExitCode> {
    use qalam_analysis::fingerprint::{Clusterer, MinHash};
    let mut docs: Vec<Document> = Vec::new();
    let mut clusterer = Clusterer::default();
    let mut words = Words::default();
    let mut secs = 0.0;
    for doc in read_inputs(&args.data).flatten() {
        let t = Instant::now();
        words.fill(&doc.body);
        let sig = MinHash::of(&words);
        clusterer.add(sig);
        secs += t.elapsed().as_secs_f64();
        docs.push(doc);
    }
    let clusters = clusterer.clusters();
    let mut sizes: std::collections::HashMap<u32, usize> = std::collections::HashMap::new();
    for &c in &clusters {
        *sizes.entry(c).or_default() += 1;
    }
    let multi: Vec<usize> = sizes.values().copied().filter(|&n| n > 1).collect();
    let in_multi: usize = multi.iter().sum();
    let exact = clusterer
        .links
        .iter()
        .filter(|(a, b, _)| docs[*a as usize].body.trim() == docs[*b as usize].body.trim())
        .count();
    let cross_source = clusterer
        .links
        .iter()
        .filter(|(a, b, _)| docs[*a as usize].source != docs[*b as usize].source)
        .count();
    println!(
        "dedup: {} articles; {} clusters of 2+ ({} articles, largest {}); {} linked pairs ({} with identical bodies, {} across sources); fingerprints {:.0} docs/s",
        docs.len(),
        multi.len(),
        in_multi,
        multi.iter().max().copied().unwrap_or(0),
        clusterer.links.len(),
        exact,
        cross_source,
        docs.len() as f64 / f64::max(secs, 1e-9)
    );
    let mut hist = [0usize; 6];
    for (_, _, j) in &clusterer.links {
        hist[((j * 10.0) as usize).saturating_sub(4).min(5)] += 1;
    }
    println!(
        "similarity of linked pairs: <0.5 (cut copies) {}, 0.5-0.6 {}, 0.6-0.7 {}, 0.7-0.8 {}, 0.8-0.9 {}, >=0.9 {}",
        hist[0], hist[1], hist[2], hist[3], hist[4], hist[5]
    );
    // A deterministic sample of non-identical pairs (identical bodies need no checking).
    let mut pairs: Vec<&(u32, u32, f32)> = clusterer
        .links
        .iter()
        .filter(|(a, b, _)| docs[*a as usize].body.trim() != docs[*b as usize].body.trim())
        .collect();
    pairs.sort_by_key(|(a, b, _)| {
        let mut h = Fnv1a::new();
        h.write(&a.to_le_bytes());
        h.write(&b.to_le_bytes());
        h.finish()
    });
    let cut = |s: &str| -> String {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .chars()
            .take(args.chars)
            .collect()
    };
    for (n, (a, b, j)) in pairs.into_iter().take(args.sample).enumerate() {
        let (x, y) = (&docs[*a as usize], &docs[*b as usize]);
        println!(
            "\n#{} jaccard {j:.2} containment {:.2}",
            n + 1,
            clusterer.signature(*a).containment(clusterer.signature(*b))
        );
        for d in [x, y] {
            println!(
                "  [{} {} {} words] {}\n    {}",
                d.source.as_deref().unwrap_or("-"),
                d.date.as_deref().unwrap_or("-"),
                d.body.split_whitespace().count(),
                d.title.as_deref().unwrap_or("-"),
                cut(&d.body)
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Arguments of `qalam dedup`.
#[derive(Args)]
pub struct DedupArgs {
    /// Index directory.
    #[arg(long)]
    index: PathBuf,
    /// Smallest cluster listed.
    #[arg(long, default_value_t = 2)]
    min_docs: usize,
    /// Clusters listed (0: all).
    #[arg(long, default_value_t = 50)]
    limit: usize,
    /// One JSON object per cluster (JSONL) instead of text.
    #[arg(long)]
    json: bool,
}

/// `qalam dedup`: clusters of near-duplicate documents with their similarity.
pub fn dedup(args: DedupArgs) -> Result<ExitCode> {
    use std::io::Write;
    let index = qalam_index::QalamIndex::open(&args.index)?;
    let clusters = index.duplicate_clusters(args.min_docs)?;
    let in_clusters: usize = clusters.iter().map(|c| c.docs.len()).sum();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if !args.json {
        writeln!(
            out,
            "{} clusters of {}+ near-duplicates ({} of {} documents)",
            clusters.len(),
            args.min_docs.max(2),
            in_clusters,
            index.num_docs()
        )?;
    }
    let limit = if args.limit == 0 {
        usize::MAX
    } else {
        args.limit
    };
    for c in clusters.iter().take(limit) {
        if args.json {
            serde_json::to_writer(&mut out, c)?;
            writeln!(out)?;
            continue;
        }
        writeln!(out, "\ncluster {} ({} documents)", c.cluster, c.docs.len())?;
        for d in &c.docs {
            writeln!(
                out,
                "  {:.2}  {}  {}  {}  {}",
                d.similarity,
                d.date.as_deref().unwrap_or("-"),
                d.source.as_deref().unwrap_or("-"),
                d.id,
                d.title.as_deref().unwrap_or("-")
            )?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Arguments of `qalam stories`.
#[derive(Args)]
pub struct StoriesArgs {
    /// Index directory.
    #[arg(long)]
    index: PathBuf,
    /// First day (`YYYY-MM-DD`, inclusive).
    #[arg(long)]
    from: Option<String>,
    /// Last day (`YYYY-MM-DD`, inclusive).
    #[arg(long)]
    to: Option<String>,
    /// Only documents matching this query.
    #[arg(long, default_value = "")]
    query: String,
    /// Days a story stays open without a new article.
    #[arg(long, default_value_t = StoryConfig::default().window_days)]
    window: i64,
    /// Smallest cosine similarity of an article to a story.
    #[arg(long, default_value_t = StoryConfig::default().threshold)]
    threshold: f32,
    /// Smallest story listed.
    #[arg(long, default_value_t = 3)]
    min_docs: usize,
    /// Stories listed (0: all).
    #[arg(long, default_value_t = 30)]
    limit: usize,
    /// One JSON object per story (JSONL) instead of text.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    query_limits: QueryLimitArgs,
}

/// One story as printed by `qalam stories --json`.
#[derive(serde::Serialize)]
struct StoryOut<'a> {
    title: Option<&'a str>,
    from: Option<String>,
    to: Option<String>,
    articles: usize,
    copies_collapsed: usize,
    entities: &'a [(String, usize)],
    keyphrases: &'a [(String, usize)],
    docs: Vec<StoryDocOut<'a>>,
}

#[derive(serde::Serialize)]
struct StoryDocOut<'a> {
    id: &'a str,
    title: Option<&'a str>,
    date: Option<&'a str>,
    source: Option<&'a str>,
}

/// `qalam stories`: articles about the same event grouped within a time window.
pub fn stories(args: StoriesArgs) -> Result<ExitCode> {
    use std::io::Write;
    let mut index = qalam_index::QalamIndex::open(&args.index)?;
    index.set_query_limits(args.query_limits.limits()?);
    let req = qalam_index::SearchRequest {
        q: args.query.clone(),
        from: args.from.clone(),
        to: args.to.clone(),
        ..qalam_index::SearchRequest::default()
    };
    let config = StoryConfig {
        window_days: args.window,
        threshold: args.threshold,
        min_docs: args.min_docs,
        ..StoryConfig::default()
    };
    let started = Instant::now();
    let (docs, stories) = index.stories(&req, &config)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if !args.json {
        writeln!(
            out,
            "{} stories of {}+ articles among {} documents ({:.1} s)",
            stories.len(),
            args.min_docs,
            docs.len(),
            started.elapsed().as_secs_f64()
        )?;
    }
    let limit = if args.limit == 0 {
        usize::MAX
    } else {
        args.limit
    };
    let day = |d: i64| qalam_analysis::trends::format_day(d);
    for s in stories.iter().take(limit) {
        let o = StoryOut {
            title: docs[s.central].title.as_deref(),
            from: s.days.map(|d| day(d.0)),
            to: s.days.map(|d| day(d.1)),
            articles: s.docs.len(),
            copies_collapsed: s.docs.len() - s.clusters,
            entities: &s.entities,
            keyphrases: &s.keyphrases,
            docs: s
                .docs
                .iter()
                .map(|&i| StoryDocOut {
                    id: &docs[i].id,
                    title: docs[i].title.as_deref(),
                    date: docs[i].date.as_deref(),
                    source: docs[i].source.as_deref(),
                })
                .collect(),
        };
        if args.json {
            serde_json::to_writer(&mut out, &o)?;
            writeln!(out)?;
            continue;
        }
        let names: Vec<String> = o
            .entities
            .iter()
            .take(5)
            .map(|(e, n)| format!("{e} ({n})"))
            .collect();
        writeln!(
            out,
            "\n{} — {} articles ({} distinct), {} to {}\n  entities: {}",
            o.title.unwrap_or("-"),
            o.articles,
            s.clusters,
            o.from.as_deref().unwrap_or("?"),
            o.to.as_deref().unwrap_or("?"),
            names.join(", ")
        )?;
        for d in &o.docs {
            writeln!(
                out,
                "  {}  {}  {}",
                d.date.unwrap_or("-"),
                d.source.unwrap_or("-"),
                d.title.unwrap_or("-")
            )?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Arguments of `qalam entities`.
#[derive(Args)]
pub struct EntitiesArgs {
    /// Index directory.
    #[arg(long)]
    index: PathBuf,
    /// Only documents matching this query (all documents if empty).
    #[arg(long, default_value = "")]
    query: String,
    /// First day (`YYYY-MM-DD`, inclusive).
    #[arg(long)]
    from: Option<String>,
    /// Last day (`YYYY-MM-DD`, inclusive).
    #[arg(long)]
    to: Option<String>,
    /// Entities listed.
    #[arg(long, default_value_t = 20)]
    top: usize,
    /// Print the trends as one JSON object.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    query_limits: QueryLimitArgs,
}

/// `qalam entities`: the most named entities, their articles per day and co-mentioned pairs.
pub fn entities(args: EntitiesArgs) -> Result<ExitCode> {
    use std::io::Write;
    let mut index = qalam_index::QalamIndex::open(&args.index)?;
    index.set_query_limits(args.query_limits.limits()?);
    let req = qalam_index::SearchRequest {
        q: args.query.clone(),
        from: args.from.clone(),
        to: args.to.clone(),
        ..qalam_index::SearchRequest::default()
    };
    let t = index.entity_trends_for(&req, args.top)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if args.json {
        serde_json::to_writer(&mut out, &t)?;
        writeln!(out)?;
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(
        out,
        "{} documents, {} days ({} to {})",
        t.docs,
        t.days.len(),
        t.days.first().map_or("-", String::as_str),
        t.days.last().map_or("-", String::as_str)
    )?;
    let peak = |v: &[u64]| {
        v.iter()
            .enumerate()
            .max_by_key(|(i, n)| (**n, std::cmp::Reverse(*i)))
            .map(|(i, n)| format!("{} ({n})", t.days[i]))
            .unwrap_or_default()
    };
    writeln!(out, "\n  docs  kind  entity  — busiest day; per day")?;
    for e in &t.top {
        let bars: String = e
            .per_day
            .iter()
            .map(|&n| spark(n, e.per_day.iter().copied().max().unwrap_or(0)))
            .collect();
        writeln!(
            out,
            "  {:>5}  {:<4}  {}  — {}  {}",
            e.docs,
            e.kind,
            e.label,
            peak(&e.per_day),
            bars
        )?;
    }
    writeln!(out, "\n  pairs named together (articles, PMI):")?;
    for p in t.pairs.iter().take(args.top) {
        writeln!(
            out,
            "  {:>5}  {:+.2}  {} + {}",
            p.docs, p.pmi, t.top[p.a].label, t.top[p.b].label
        )?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// A block character for `n` out of `max`.
fn spark(n: u64, max: u64) -> char {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    if max == 0 || n == 0 {
        return ' ';
    }
    BARS[((n * 7).div_ceil(max)) as usize]
}
