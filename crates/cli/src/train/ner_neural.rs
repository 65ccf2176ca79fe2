//! The neural part of `qalam train ner`: the network on top of the perceptron (jackknifed
//! perceptron tags of the training data, then the network), its dev and AQMAR scores next to the
//! perceptron's, and the shipped network file.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Args;
use qalam_index::write_durably;
use qalam_tagger::embed::Embeddings;
use qalam_tagger::ner::{
    EntityKind, LabelledSentence, NerTagger, Report, Resources, Tag, TrainConfig, Unlabelled,
};
use qalam_tagger::neural::{self, Featurizer, NeuralConfig, NeuralNer};

use super::ner::print_report;

/// Settings of the neural network.
#[derive(Args, Debug, Clone)]
pub struct NeuralArgs {
    /// Where to write the network trained on all of the training data.
    #[arg(long, default_value = "crates/tagger/models/ner-neural.qlm")]
    pub neural_out: PathBuf,
    /// Passes of the network over the training data.
    #[arg(long, default_value_t = NeuralConfig::default().epochs)]
    pub neural_epochs: usize,
    /// Seed of the network's initialization, shuffles and dropout.
    #[arg(long, default_value_t = NeuralConfig::default().seed)]
    pub neural_seed: u64,
    /// Seeds of the network's dev runs: one dev run per seed, then the mean and spread of the
    /// scores (default: --neural-seed alone).
    #[arg(long, value_delimiter = ',')]
    pub neural_dev_seeds: Vec<u64>,
    /// Average the network's weights over every training step from this epoch on (0: keep the
    /// last weights).
    #[arg(long, default_value_t = NeuralConfig::default().average_from)]
    pub neural_average_from: usize,
    /// AdamW learning rate of the network.
    #[arg(long, default_value_t = NeuralConfig::default().learning_rate)]
    pub neural_lr: f64,
    /// Width of the network's hidden layers.
    #[arg(long, default_value_t = NeuralConfig::default().hidden)]
    pub neural_hidden: usize,
    /// Dilations of the network's convolution layers.
    #[arg(long, value_delimiter = ',', default_values_t = NeuralConfig::default().dilations)]
    pub neural_dilations: Vec<usize>,
    /// Size of the character vectors of the character CNN word encoder (0: none).
    #[arg(long, default_value_t = NeuralConfig::default().char_dim)]
    pub neural_char_dim: usize,
    /// Filters of the character CNN word encoder (0: none).
    #[arg(long, default_value_t = NeuralConfig::default().char_filters)]
    pub neural_char_filters: usize,
    /// Dropout rate of the network.
    #[arg(long, default_value_t = NeuralConfig::default().dropout)]
    pub neural_dropout: f32,
    /// Do not feed the perceptron's tags to the network.
    #[arg(long)]
    pub neural_no_stacking: bool,
    /// Keep the perceptron's jackknifed tags of the training data in this folder and reuse them
    /// when the sentences and perceptron settings are the same (for experiments on the network).
    #[arg(long)]
    pub stacked_cache: Option<PathBuf>,
    /// With --folds: also cross-validate the network (each fold trains its own jackknife of
    /// perceptrons and its own network on the fold's training part).
    #[arg(long)]
    pub neural_cv: bool,
    /// Word vectors to read (default: the embedded `embed.qlm`).
    #[arg(long)]
    pub embeddings: Option<PathBuf>,
}

impl NeuralArgs {
    fn config(&self) -> NeuralConfig {
        NeuralConfig {
            epochs: self.neural_epochs,
            seed: self.neural_seed,
            learning_rate: self.neural_lr,
            hidden: self.neural_hidden,
            dilations: self.neural_dilations.clone(),
            dropout: self.neural_dropout,
            stacked: !self.neural_no_stacking,
            average_from: self.neural_average_from,
            char_dim: self.neural_char_dim,
            char_filters: self.neural_char_filters,
            ..NeuralConfig::default()
        }
    }

    fn embeddings(&self) -> Result<Arc<Embeddings>> {
        Ok(match &self.embeddings {
            Some(p) => {
                Arc::new(Embeddings::load(p).with_context(|| format!("reading {}", p.display()))?)
            }
            None => Embeddings::embedded(),
        })
    }
}

/// A digest of what the jackknifed tags depend on: the perceptron settings and the sentences.
fn cache_key(config: &TrainConfig, folds: usize, sentences: &[LabelledSentence]) -> u64 {
    let mut h = qalam_text::hash::Fnv1a::new();
    h.write(format!("{config:?} {folds}").as_bytes());
    for s in sentences {
        for (t, g) in s.tokens.iter().zip(&s.tags) {
            h.write(t.as_bytes());
            h.write_u8(0);
            h.write(g.as_bytes());
            h.write_u8(0);
        }
        h.write_u8(1);
    }
    h.finish()
}

/// Reads cached tags (one line of tags per sentence); `None` if absent or not of `sentences`.
fn read_tags(path: &Path, sentences: &[LabelledSentence]) -> Option<Vec<Vec<Tag>>> {
    let text = std::fs::read_to_string(path).ok()?;
    let tags: Vec<Vec<Tag>> = text
        .lines()
        .map(|l| l.split_whitespace().map(|t| t.parse().ok()).collect())
        .collect::<Option<_>>()?;
    let fits = tags.len() == sentences.len()
        && tags
            .iter()
            .zip(sentences)
            .all(|(t, s)| t.len() == s.tokens.len());
    fits.then_some(tags)
}

/// Writes tags for [`read_tags`].
fn write_tags(path: &Path, tags: &[Vec<Tag>]) -> Result<()> {
    let mut out = String::new();
    for t in tags {
        let line: Vec<&str> = t.iter().map(|t| t.as_str()).collect();
        out.push_str(&line.join(" "));
        out.push('\n');
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    write_durably(path, out.as_bytes()).with_context(|| format!("writing {}", path.display()))
}

/// The perceptron's jackknifed tags of `sentences` (from the cache when it holds them), if the
/// network reads them; they do not depend on the network's seed.
fn stacked_tags(
    args: &NeuralArgs,
    config: &TrainConfig,
    sentences: &[LabelledSentence],
    res: &Resources,
    text: &Unlabelled,
) -> Result<Option<Vec<Vec<Tag>>>> {
    let nconfig = args.config();
    if !nconfig.stacked {
        return Ok(None);
    }
    let t0 = Instant::now();
    let key = cache_key(config, nconfig.folds, sentences);
    let cached = args
        .stacked_cache
        .as_ref()
        .map(|d| d.join(format!("{key:016x}.tags")));
    let tags = match cached.as_ref().and_then(|p| read_tags(p, sentences)) {
        Some(tags) => tags,
        None => {
            let tags = neural::jackknife(config, sentences, res, Some(text), nconfig.folds);
            if let Some(p) = &cached {
                write_tags(p, &tags)?;
            }
            tags
        }
    };
    eprintln!(
        "neural: perceptron tags of {} sentences from a {}-fold jackknife in {:.1}s",
        tags.len(),
        nconfig.folds,
        t0.elapsed().as_secs_f64()
    );
    Ok(Some(tags))
}

/// Trains the network on `sentences` (with their `stacked` perceptron tags) over `perceptron`
/// (trained on the same sentences); with `dev`, prints its dev F1 after every epoch.
fn fit(
    nconfig: &NeuralConfig,
    sentences: &[LabelledSentence],
    stacked: Option<&[Vec<Tag>]>,
    embeddings: &Arc<Embeddings>,
    perceptron: &NerTagger,
    dev: Option<&[LabelledSentence]>,
) -> Result<Arc<NeuralNer>> {
    let featurizer = Featurizer {
        embeddings,
        gazetteer: &perceptron.resources().gazetteer,
        buckets: nconfig.buckets,
    };
    let digest = neural::perceptron_digest(perceptron);
    let net = neural::train(
        nconfig,
        sentences,
        stacked,
        featurizer,
        digest,
        |stats, net| {
            let f1 = dev
                .and_then(|dev| {
                    let head = NeuralNer::new(net.clone(), embeddings.clone()).ok()?;
                    let tagger = perceptron.without_neural().with_neural(Arc::new(head));
                    Some(format!(", dev F1 {:.2}", tagger.evaluate(dev).f1()))
                })
                .unwrap_or_default();
            eprintln!(
                "neural epoch {}: loss {:.3}{f1} ({:.0}s)",
                stats.epoch, stats.loss, stats.seconds
            );
        },
    )?;
    Ok(Arc::new(NeuralNer::new(net, embeddings.clone())?))
}

/// Prints F1 per type of the perceptron and the network side by side.
pub fn compare(title: &str, fast: &Report, neural: &Report) {
    println!("== {title}: perceptron vs neural (P / R / F1)");
    let row = |name: &str, a: &qalam_tagger::ner::TypeCounts, b: &qalam_tagger::ner::TypeCounts| {
        println!(
            "{name:<6} {:>6.2} {:>6.2} {:>6.2} | {:>6.2} {:>6.2} {:>6.2}",
            a.precision(),
            a.recall(),
            a.f1(),
            b.precision(),
            b.recall(),
            b.f1()
        )
    };
    for k in EntityKind::ALL {
        row(k.as_str(), &fast.of(k.as_str()), &neural.of(k.as_str()));
    }
    row("micro", &fast.total, &neural.total);
}

/// The dev experiment of the network: trained on `train` over the dev-run `perceptron` (once per
/// dev seed), scored on `dev` and on AQMAR next to the perceptron.
#[allow(clippy::too_many_arguments)]
pub fn dev_run(
    args: &NeuralArgs,
    config: &TrainConfig,
    train: &[LabelledSentence],
    dev: &[LabelledSentence],
    aqmar: Option<&[LabelledSentence]>,
    res: &Resources,
    text: &Unlabelled,
    perceptron: &NerTagger,
) -> Result<()> {
    let seeds = if args.neural_dev_seeds.is_empty() {
        vec![args.neural_seed]
    } else {
        args.neural_dev_seeds.clone()
    };
    let stacked = stacked_tags(args, config, train, res, text)?;
    let embeddings = args.embeddings()?;
    let fast_dev = perceptron.evaluate(dev);
    let fast_aqmar = aqmar.map(|aqmar| perceptron.evaluate(aqmar));
    // Per seed: dev P, R, F1, then AQMAR F1 (NaN without AQMAR).
    let mut rows: Vec<[f64; 4]> = Vec::new();
    for &seed in &seeds {
        let t0 = Instant::now();
        let nconfig = NeuralConfig {
            seed,
            ..args.config()
        };
        let head = fit(
            &nconfig,
            train,
            stacked.as_deref(),
            &embeddings,
            perceptron,
            Some(dev),
        )?;
        let tagger = perceptron.without_neural().with_neural(head);
        eprintln!(
            "neural dev run (seed {seed}) trained in {:.1}s",
            t0.elapsed().as_secs_f64()
        );
        let neural = tagger.evaluate(dev);
        print_report(
            &format!("neural (seed {seed}), dev (last sentences of anercorp/train.txt)"),
            &neural,
        );
        compare("dev", &fast_dev, &neural);
        let t = &neural.total;
        let mut row = [t.precision(), t.recall(), t.f1(), f64::NAN];
        if let (Some(aqmar), Some(fast)) = (aqmar, &fast_aqmar) {
            let neural = tagger.evaluate(aqmar);
            print_report(
                &format!("neural (seed {seed}), AQMAR (cross-domain)"),
                &neural,
            );
            compare("AQMAR", fast, &neural);
            row[3] = neural.f1();
        }
        rows.push(row);
    }
    let stat = |i: usize| {
        let v: Vec<f64> = rows.iter().map(|r| r[i]).collect();
        let mean = v.iter().sum::<f64>() / v.len() as f64;
        let (lo, hi) = v
            .iter()
            .fold((f64::MAX, f64::MIN), |(a, b), &x| (a.min(x), b.max(x)));
        format!("{mean:.2} ({lo:.2}–{hi:.2})")
    };
    println!(
        "== neural dev over seeds {seeds:?}: P {} R {} F1 {} | AQMAR F1 {}",
        stat(0),
        stat(1),
        stat(2),
        stat(3)
    );
    Ok(())
}

/// Trains the network with the settings of `args` on `sentences`, over `perceptron` (trained on
/// the same sentences).
pub fn fit_on(
    args: &NeuralArgs,
    config: &TrainConfig,
    sentences: &[LabelledSentence],
    res: &Resources,
    text: &Unlabelled,
    perceptron: &NerTagger,
) -> Result<Arc<NeuralNer>> {
    let stacked = stacked_tags(args, config, sentences, res, text)?;
    fit(
        &args.config(),
        sentences,
        stacked.as_deref(),
        &args.embeddings()?,
        perceptron,
        None,
    )
}

/// Writes the shipped network `head`, trained since `t0`.
pub fn write(args: &NeuralArgs, head: &NeuralNer, t0: Instant) -> Result<()> {
    let bytes = head.to_bytes()?;
    write_durably(&args.neural_out, &bytes)
        .with_context(|| format!("writing {}", args.neural_out.display()))?;
    eprintln!(
        "neural model: trained in {:.1}s, {:.1} MB written to {}",
        t0.elapsed().as_secs_f64(),
        bytes.len() as f64 / 1e6,
        args.neural_out.display()
    );
    Ok(())
}
