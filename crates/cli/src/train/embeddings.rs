//! `qalam train embeddings`: word and subword embeddings from SaudiNewsNet, then their
//! evaluation (nearest neighbours of probe words, a nearest-centroid test on ANERgazet names).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clap::Args;
use qalam_tagger::embed::{
    self, Corpus, EmbedConfig, Embeddings, Found, Neighbours, Progress, nearest_centroid,
};
use qalam_tagger::ner;
use qalam_text::{Profile, normalize_str};

use crate::progress;

/// Arguments of `qalam train embeddings`.
#[derive(Args, Debug, Clone)]
pub struct TrainEmbedArgs {
    /// Articles to train on: SaudiNewsNet zips, JSON, JSONL or text files, or folders of them.
    #[arg(default_value = "../shared/data/saudinewsnet")]
    pub inputs: Vec<PathBuf>,
    /// Where to write the model.
    #[arg(long, default_value = "crates/tagger/models/embed.qlm")]
    pub out: PathBuf,
    /// Vector size.
    #[arg(long, default_value_t = EmbedConfig::default().dim)]
    pub dim: usize,
    /// Passes over the text.
    #[arg(long, default_value_t = EmbedConfig::default().epochs)]
    pub epochs: usize,
    /// Words seen fewer times are not trained as words (only through their char n-grams).
    #[arg(long, default_value_t = EmbedConfig::default().min_count)]
    pub min_count: u64,
    /// Words kept in the model file (the most frequent); the others get n-gram vectors.
    #[arg(long, default_value_t = EmbedConfig::default().max_words)]
    pub max_words: usize,
    /// Hash buckets of the char n-grams while training.
    #[arg(long, default_value_t = EmbedConfig::default().buckets)]
    pub buckets: u32,
    /// N-gram buckets kept in the model file (those in the most vocabulary words).
    #[arg(long, default_value_t = EmbedConfig::default().keep_buckets)]
    pub keep_buckets: usize,
    /// Largest context window on each side.
    #[arg(long, default_value_t = EmbedConfig::default().window)]
    pub window: usize,
    /// Negative samples per context word.
    #[arg(long, default_value_t = EmbedConfig::default().negatives)]
    pub negatives: usize,
    /// Learning rate at the start (falls linearly to 0).
    #[arg(long, default_value_t = EmbedConfig::default().lr)]
    pub lr: f32,
    /// Subsampling threshold of frequent words (0: none).
    #[arg(long, default_value_t = EmbedConfig::default().sample)]
    pub sample: f64,
    /// Seed of every random choice (training is single-threaded and deterministic).
    #[arg(long, default_value_t = EmbedConfig::default().seed)]
    pub seed: u64,
    /// Read at most this many articles (0: all).
    #[arg(long, default_value_t = 0)]
    pub max_docs: usize,
    /// ANERgazet folder for the evaluation (persons.txt, locations.txt, organizations.txt).
    #[arg(long, default_value = "../shared/data/anercorp/gazetteers")]
    pub gazetteers: PathBuf,
    /// ANERcorp training file for the evaluation (vocabulary coverage, entity-word test).
    #[arg(long, default_value = "../shared/data/anercorp/train.txt")]
    pub anercorp: PathBuf,
    /// Do not train: evaluate the model at --out.
    #[arg(long)]
    pub eval_only: bool,
    /// No progress bar.
    #[arg(long)]
    pub quiet: bool,
}

/// Probe words whose nearest neighbours are printed: places, people, organisations, titles,
/// and two words unlikely to be in the vocabulary (answered from their char n-grams).
const PROBES: &[&str] = &[
    "القاهرة",
    "الرياض",
    "جدة",
    "الموصل",
    "سوريا",
    "اليمن",
    "إيران",
    "محمد",
    "عبدالله",
    "سلمان",
    "أوباما",
    "وزير",
    "الحكومة",
    "داعش",
    "الحوثيين",
    "الهلال",
    "الأمم",
    "النفط",
    "الشرطة",
    "مستشفى",
    "والموصليين",
    "بالداعشيين",
];

/// Nearest neighbours printed per probe word.
const NEIGHBOURS: usize = 8;
/// One labelled word in this many is held out for the nearest-centroid test.
const HOLD_OUT: u64 = 5;

/// `qalam train embeddings`.
pub fn run(args: TrainEmbedArgs) -> Result<ExitCode> {
    if args.eval_only {
        let emb = Embeddings::load(&args.out)?;
        evaluate(&emb, &args)?;
        return Ok(ExitCode::SUCCESS);
    }
    let config = EmbedConfig {
        dim: args.dim,
        epochs: args.epochs,
        min_count: args.min_count,
        max_words: args.max_words,
        buckets: args.buckets,
        keep_buckets: args.keep_buckets,
        window: args.window,
        negatives: args.negatives,
        lr: args.lr,
        sample: args.sample,
        seed: args.seed,
        ..EmbedConfig::default()
    };
    config.check()?;
    let started = Instant::now();
    let (corpus, articles) = read_corpus(&args)?;
    let read_secs = started.elapsed().as_secs_f64();

    let t0 = Instant::now();
    let cpu0 = thread_cpu_secs();
    let bar = progress::bar(Some(1), progress::BAR, args.quiet);
    let mut last_line = Instant::now();
    let (emb, stats) = embed::train(&config, &corpus, |p: &Progress| {
        let secs = t0.elapsed().as_secs_f64().max(1e-9);
        let msg = format!(
            "{:.0} words/s, loss {:.3}, lr {:.4}",
            p.done as f64 / secs,
            p.loss,
            p.lr
        );
        match &bar {
            Some(bar) => {
                bar.set_length(p.total);
                bar.set_position(p.done);
                bar.set_message(msg);
            }
            None if !args.quiet && last_line.elapsed() >= Duration::from_secs(60) => {
                last_line = Instant::now();
                eprintln!(
                    "qalam: {:.1}% of {} tokens, {msg}",
                    100.0 * p.done as f64 / p.total.max(1) as f64,
                    p.total
                );
            }
            None => {}
        }
    })?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let train_secs = t0.elapsed().as_secs_f64();
    let cpu_secs = thread_cpu_secs().zip(cpu0).map(|(b, a)| b - a);
    let bytes = emb.to_bytes();
    qalam_index::write_durably(&args.out, &bytes)
        .with_context(|| format!("writing {}", args.out.display()))?;
    let processed = (stats.tokens * config.epochs as u64) as f64;
    println!(
        "embeddings: {articles} articles ({} titles and bodies) read in {read_secs:.1} s: {} tokens, {} distinct; vocabulary {} words (min count {}), {} tokens of them",
        corpus.documents(),
        corpus.len(),
        corpus.distinct(),
        stats.vocabulary,
        config.min_count,
        stats.tokens
    );
    let cpu = match cpu_secs {
        Some(c) => format!(
            "; {c:.1} s of CPU: {:.0} words per CPU-second",
            processed / c.max(1e-9)
        ),
        None => String::new(),
    };
    println!(
        "trained dim {}, {} epochs on one thread in {train_secs:.1} s: {:.0} words/s{cpu} ({} centre words after subsampling); last-epoch loss {:.3}",
        config.dim,
        config.epochs,
        processed / train_secs.max(1e-9),
        stats.trained,
        stats.loss
    );
    println!(
        "kept {} words and {} of {} used n-gram buckets (of {}); {:.1} MB in {}",
        emb.len(),
        emb.ngram_rows(),
        stats.buckets_used,
        config.buckets,
        bytes.len() as f64 / 1e6,
        args.out.display()
    );
    print_coverage(&emb, &corpus);
    evaluate(&emb, &args)?;
    Ok(ExitCode::SUCCESS)
}

/// CPU time of the calling thread, where the platform tells it.
fn thread_cpu_secs() -> Option<f64> {
    #[cfg(target_os = "linux")]
    {
        let mut ts = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: clock_gettime writes one timespec into the valid, owned `ts`.
        let ok = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) } == 0;
        ok.then_some(ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9)
    }
    #[cfg(not(target_os = "linux"))]
    None
}

/// How much of the training text the stored vocabulary covers, and how many of the other
/// words' n-grams have a stored vector.
fn print_coverage(emb: &Embeddings, corpus: &Corpus) {
    let (mut covered, mut total) = (0u64, 0u64);
    let (mut grams_found, mut grams) = (0u64, 0u64);
    let (minn, maxn, buckets) = emb.ngram_settings();
    let mut v = vec![0f32; emb.dim()];
    for (word, &count) in corpus.words().iter().zip(corpus.counts()) {
        total += count;
        if emb.id(word).is_some() {
            covered += count;
            continue;
        }
        let mut n = 0u64;
        embed::ngrams::for_each_ngram(word, minn, maxn, buckets, |_| n += 1);
        grams += n * count;
        grams_found += u64::from(emb.subword_vector(word, &mut v)) * count;
    }
    println!(
        "the vocabulary covers {:.2}% of the training tokens; the others find {:.1}% of their n-grams",
        100.0 * covered as f64 / total.max(1) as f64,
        100.0 * grams_found as f64 / grams.max(1) as f64
    );
}

/// Reads the articles: title and body as two documents of search-normalized tokens. A bad
/// record is reported with its file, member and record, and skipped.
fn read_corpus(args: &TrainEmbedArgs) -> Result<(Corpus, usize)> {
    let spinner = progress::bar(
        None,
        "{spinner} [{elapsed_precise}] reading: {msg}",
        args.quiet,
    );
    let mut corpus = Corpus::new();
    let (mut docs, mut skipped) = (0usize, 0usize);
    let mut norms: Vec<String> = Vec::new();
    for result in qalam_corpus::read_inputs(&args.inputs) {
        let doc = match result {
            Ok(doc) => doc,
            Err(err) => {
                skipped += 1;
                let line = format!("qalam: skipped: {err}");
                match &spinner {
                    Some(s) => s.println(line),
                    None => eprintln!("{line}"),
                }
                continue;
            }
        };
        for text in doc.title.iter().chain(std::iter::once(&doc.body)) {
            norms.clear();
            norms.extend(qalam_text::tokenize(text).into_iter().map(|t| t.norm));
            corpus.add_document(norms.iter().map(String::as_str));
        }
        docs += 1;
        if let Some(s) = &spinner
            && docs % 500 == 0
        {
            s.set_message(format!("{docs} articles, {} tokens", corpus.len()));
        }
        if args.max_docs > 0 && docs >= args.max_docs {
            break;
        }
    }
    if let Some(s) = spinner {
        s.finish_and_clear();
    }
    if docs == 0 {
        bail!("no articles read from the inputs");
    }
    if skipped > 0 {
        eprintln!("qalam: {skipped} records skipped");
    }
    Ok((corpus, docs))
}

/// Prints the nearest neighbours of the probe words, then the ANERcorp coverage and the
/// nearest-centroid tests (ANERgazet names, ANERcorp entity words) where their files are there.
fn evaluate(emb: &Embeddings, args: &TrainEmbedArgs) -> Result<()> {
    let t0 = Instant::now();
    let index = Neighbours::new(emb);
    let mut v = vec![0f32; emb.dim()];
    println!("\nnearest neighbours (cosine):");
    for probe in PROBES {
        let found = emb.lookup(probe, &mut v);
        let (skip, what) = match found {
            Found::Word(id) => (Some(id), format!("#{} ({}×)", id + 1, emb.count(id))),
            Found::Subwords(n) => (None, format!("OOV, {n} n-grams")),
            Found::Unknown => {
                println!("  {probe} [unknown]");
                continue;
            }
        };
        let near: Vec<String> = index
            .nearest(&v, NEIGHBOURS, skip)
            .into_iter()
            .map(|(id, s)| format!("{} {s:.2}", emb.word(id)))
            .collect();
        println!("  {probe} [{what}]: {}", near.join(", "));
    }
    gazetteer_test(emb, &args.gazetteers);
    anercorp_test(emb, &args.anercorp);
    eprintln!("qalam: evaluated in {:.1} s", t0.elapsed().as_secs_f64());
    Ok(())
}

/// Labels of the gazetteer test.
const GAZETTEER_FILES: [(&str, &str); 3] = [
    ("persons.txt", "PERS"),
    ("locations.txt", "LOC"),
    ("organizations.txt", "ORG"),
];

/// The nearest-centroid test on single-word ANERgazet names.
fn gazetteer_test(emb: &Embeddings, dir: &Path) {
    let mut labels: HashMap<String, Option<usize>> = HashMap::new();
    for (label, (file, _)) in GAZETTEER_FILES.iter().enumerate() {
        let path = dir.join(file);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(err) => {
                println!("\nno gazetteer test: {}: {err}", path.display());
                return;
            }
        };
        for line in text.lines() {
            let norm = normalize_str(line.trim(), Profile::Search);
            if norm.is_empty() || norm.starts_with("==") || norm.contains(char::is_whitespace) {
                continue;
            }
            add_label(&mut labels, norm, label);
        }
    }
    let names: Vec<&str> = GAZETTEER_FILES.iter().map(|f| f.1).collect();
    print_centroid_test(emb, "single-word ANERgazet names", &names, labels);
}

/// The nearest-centroid test on ANERcorp words tagged with one entity type only, and the share
/// of ANERcorp tokens (all, and inside entities) the vocabulary covers.
fn anercorp_test(emb: &Embeddings, path: &Path) {
    let sentences = match ner::read_conll(path) {
        Ok(s) => s,
        Err(err) => {
            println!("\nno ANERcorp test: {}: {err}", path.display());
            return;
        }
    };
    let names = ["PERS", "LOC", "ORG", "MISC"];
    let mut labels: HashMap<String, Option<usize>> = HashMap::new();
    let (mut tokens, mut known, mut in_entities, mut known_in_entities) = (0, 0, 0, 0);
    for s in &sentences {
        for (token, tag) in s.tokens.iter().zip(&s.tags) {
            let norm = normalize_str(token, Profile::Search);
            let is_known = emb.id(&norm).is_some();
            tokens += 1;
            known += usize::from(is_known);
            let Some(kind) = tag.get(2..) else {
                continue;
            };
            in_entities += 1;
            known_in_entities += usize::from(is_known);
            if let Some(label) = names.iter().position(|&n| n == kind)
                && norm.chars().count() >= 2
            {
                add_label(&mut labels, norm, label);
            }
        }
    }
    println!(
        "\nANERcorp train: the vocabulary covers {:.1}% of {tokens} tokens and {:.1}% of the {in_entities} tokens inside entities",
        100.0 * known as f64 / tokens.max(1) as f64,
        100.0 * known_in_entities as f64 / in_entities.max(1) as f64
    );
    print_centroid_test(emb, "ANERcorp words of one entity type", &names, labels);
}

/// Records `label` for `word`; a word seen with two labels is ambiguous (None).
fn add_label(labels: &mut HashMap<String, Option<usize>>, word: String, label: usize) {
    labels
        .entry(word)
        .and_modify(|l| {
            if *l != Some(label) {
                *l = None
            }
        })
        .or_insert(Some(label));
}

/// Runs and prints one nearest-centroid test.
fn print_centroid_test(
    emb: &Embeddings,
    what: &str,
    names: &[&str],
    labels: HashMap<String, Option<usize>>,
) {
    let mut items: Vec<(String, usize)> = labels
        .into_iter()
        .filter_map(|(w, l)| Some((w, l?)))
        .collect();
    items.sort();
    let r = nearest_centroid(emb, &items, names.len(), &|w: &str| {
        embed::eval::held_out(w, HOLD_OUT)
    });
    println!(
        "\nnearest-centroid test on {what} (one in {HOLD_OUT} held out by hash; {} without a vocabulary vector left out):",
        r.missing
    );
    for (name, (train, test, right)) in names.iter().zip(&r.per_label) {
        println!(
            "  {name:<5} {train:>5} train {test:>5} held out  {:>5.1}% right",
            100.0 * *right as f64 / (*test).max(1) as f64
        );
    }
    println!(
        "  accuracy {:.1}% ({}/{}), balanced {:.1}% (chance {:.1}%); from n-grams alone (as if unseen) {:.1}%; majority label {:.1}%",
        r.accuracy(),
        r.correct,
        r.tested,
        r.balanced_accuracy(),
        100.0 / names.len() as f64,
        r.accuracy_subwords(),
        r.majority_accuracy()
    );
}
