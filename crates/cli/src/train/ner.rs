//! `qalam train ner`: the named-entity model (ANERcorp train, gazetteers, SaudiNewsNet word
//! clusters and type evidence), with dev, cross-domain and cross-validation scores.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use super::ner_neural::{self, NeuralArgs};
use crate::tag::NerModel;
use anyhow::{Context, Result, bail};
use clap::Args;
use qalam_index::write_durably;
use qalam_tagger::ner::{
    self, ClusterBuilder, ClusterConfig, Clusters, EntityKind, Gazetteer, LabelledSentence, Report,
    Resources, TrainConfig, Unlabelled,
};

/// Arguments of `qalam train ner`.
#[derive(Args, Debug, Clone)]
pub struct TrainNerArgs {
    /// The shared data folder (anercorp/, aqmar/, saudinewsnet/ inside).
    #[arg(long, default_value = "../shared/data")]
    pub data: PathBuf,
    /// Where to write the model trained on all of the training data.
    #[arg(long, default_value = "crates/tagger/models/ner.bin")]
    pub out: PathBuf,
    /// Fraction of train.txt (its last sentences) held out to report dev scores; 0 skips the dev run.
    #[arg(long, default_value_t = 0.1)]
    pub dev_fraction: f64,
    /// Perceptron epochs.
    #[arg(long, default_value_t = TrainConfig::default().epochs)]
    pub epochs: usize,
    /// Shuffle seed.
    #[arg(long, default_value_t = TrainConfig::default().seed)]
    pub seed: u64,
    /// Also train on AQMAR (then it is no longer a cross-domain test).
    #[arg(long)]
    pub with_aqmar: bool,
    /// Only run the dev experiment; do not train or write the full model.
    #[arg(long)]
    pub dev_only: bool,
    /// Print dev scores after every epoch.
    #[arg(long)]
    pub verbose: bool,
    /// Also write the dev-run model (trained without the dev part) here.
    #[arg(long)]
    pub dev_out: Option<PathBuf>,
    /// Hamming-loss margin of the perceptron updates (0: plain perceptron).
    #[arg(long, default_value_t = TrainConfig::default().margin)]
    pub margin: f32,
    /// Probability of dropping a token's own word features in a training step.
    #[arg(long, default_value_t = TrainConfig::default().dropout)]
    pub dropout: f32,
    /// Train only the first stage (no stacked second stage with document history).
    #[arg(long)]
    pub no_stacking: bool,
    /// Added to every entity label's score in the final model (recall vs precision).
    #[arg(long, default_value_t = 0.0)]
    pub entity_bias: f32,
    /// With --folds: also report cross-validation for each of these entity biases.
    #[arg(long, value_delimiter = ',')]
    pub bias_sweep: Vec<f32>,
    /// Do not learn word clusters from SaudiNewsNet.
    #[arg(long)]
    pub no_clusters: bool,
    /// Also report K-fold cross-validation on contiguous blocks of train.txt (0: skip).
    #[arg(long, default_value_t = 0)]
    pub folds: usize,
    /// Do not tag SaudiNewsNet with a context model for per-word type evidence.
    #[arg(long)]
    pub no_auto: bool,
    /// Word-identity dropout of the context model that tags SaudiNewsNet.
    #[arg(long, default_value_t = TrainConfig::default().auto_dropout)]
    pub auto_dropout: f32,
    /// Minimum SaudiNewsNet count of a word for type evidence.
    #[arg(long, default_value_t = TrainConfig::default().auto_min_count)]
    pub auto_min_count: u32,
    /// Entity-label bias of the context model when it tags SaudiNewsNet.
    #[arg(long, default_value_t = TrainConfig::default().auto_bias)]
    pub auto_bias: f32,
    /// `neural`: the perceptron and the network on top (the default model); `fast`: the
    /// perceptron alone.
    #[arg(long, value_enum, default_value_t = NerModel::Neural)]
    pub model: NerModel,
    /// Settings of the network.
    #[command(flatten)]
    pub neural: NeuralArgs,
}

/// Prints a report as conlleval does, then a compact table.
pub fn print_report(title: &str, r: &Report) {
    println!("== {title}");
    print!("{r}");
    println!(
        "{:<6} {:>7} {:>7} {:>7} {:>6} {:>6}",
        "type", "P", "R", "F1", "gold", "found"
    );
    for k in EntityKind::ALL {
        let c = r.of(k.as_str());
        println!(
            "{:<6} {:>7.2} {:>7.2} {:>7.2} {:>6} {:>6}",
            k.as_str(),
            c.precision(),
            c.recall(),
            c.f1(),
            c.gold,
            c.found
        );
    }
    let t = r.total;
    println!(
        "{:<6} {:>7.2} {:>7.2} {:>7.2} {:>6} {:>6}",
        "micro",
        t.precision(),
        t.recall(),
        t.f1(),
        t.gold,
        t.found
    );
}

/// Reads the SaudiNewsNet articles under `dir`: learns word clusters (if `clusters`) and keeps the
/// normalized text (if `keep`).
fn read_unlabelled(dir: &Path, clusters: bool, keep: bool) -> Result<(Clusters, Unlabelled)> {
    let t0 = Instant::now();
    let mut builder = ClusterBuilder::new();
    let mut text = Unlabelled::new();
    let mut docs = 0usize;
    let mut norms: Vec<String> = Vec::new();
    let mut skipped = 0usize;
    for doc in qalam_corpus::read_inputs([dir]) {
        // Blank or malformed records carry no text to learn from.
        let Ok(doc) = doc else {
            skipped += 1;
            continue;
        };
        norms.clear();
        for text in doc.title.iter().chain(std::iter::once(&doc.body)) {
            norms.extend(qalam_text::tokenize(text).into_iter().map(|t| t.norm));
        }
        if clusters {
            builder.add_document(norms.iter().map(String::as_str));
        }
        if keep {
            text.add_document(norms.iter().map(String::as_str));
        }
        docs += 1;
    }
    if docs == 0 {
        bail!("{}: no articles", dir.display());
    }
    let clusters = if clusters {
        builder.build(&ClusterConfig::default())
    } else {
        Clusters::default()
    };
    eprintln!(
        "clusters: {} words; {} tokens kept; from {docs} articles ({skipped} records skipped) in {:.1}s",
        clusters.len(),
        text.len(),
        t0.elapsed().as_secs_f64()
    );
    Ok((clusters, text))
}

/// Builds the feature resources (gazetteer, word clusters) and reads the unlabelled text (if
/// `auto`) from the data folder.
fn resources(data: &Path, clusters: bool, auto: bool) -> Result<(Resources, Unlabelled)> {
    let gaz_dir = data.join("anercorp/gazetteers");
    let gazetteer = Gazetteer::load_anergazet(&gaz_dir)
        .with_context(|| format!("reading gazetteers in {}", gaz_dir.display()))?;
    eprintln!("gazetteer: {} names", gazetteer.len());
    let (clusters, text) = if clusters || auto {
        read_unlabelled(&data.join("saudinewsnet"), clusters, auto)?
    } else {
        Default::default()
    };
    let res = Resources {
        gazetteer,
        clusters,
        ..Resources::default()
    };
    Ok((res, text))
}

/// Pooled K-fold cross-validation over contiguous blocks of `sentences` (and of the network on
/// top of each fold's perceptron, with `neural`).
#[allow(clippy::too_many_arguments)]
fn cross_validate(
    config: &TrainConfig,
    sentences: &[LabelledSentence],
    extra: &[LabelledSentence],
    res: &Resources,
    unlabelled: &Unlabelled,
    k: usize,
    biases: &[f32],
    neural: Option<&NeuralArgs>,
) -> Result<(Vec<Report>, Option<Report>)> {
    let mut gold = Vec::new();
    let mut pred = vec![Vec::new(); biases.len()];
    let mut neural_pred = Vec::new();
    for f in 0..k {
        let (a, b) = (f * sentences.len() / k, (f + 1) * sentences.len() / k);
        let train: Vec<LabelledSentence> = sentences[..a]
            .iter()
            .chain(&sentences[b..])
            .chain(extra)
            .cloned()
            .collect();
        let mut tagger = ner::train_with(config, &train, res.clone(), Some(unlabelled), |_, _| {});
        let tokens: Vec<Vec<&str>> = sentences[a..b]
            .iter()
            .map(|s| s.tokens.iter().map(String::as_str).collect())
            .collect();
        gold.extend(sentences[a..b].iter().map(|s| s.tags.clone()));
        for (&bias, pred) in biases.iter().zip(&mut pred) {
            tagger.set_entity_bias(bias);
            for tags in tagger.predict_sentences(&tokens) {
                pred.push(tags.iter().map(|t| t.as_str()).collect::<Vec<_>>());
            }
        }
        if let Some(args) = neural {
            tagger.set_entity_bias(biases[0]);
            let t0 = Instant::now();
            let head = ner_neural::fit_on(args, config, &train, res, unlabelled, &tagger)?;
            let tagger = tagger.without_neural().with_neural(head);
            for tags in tagger.predict_sentences(&tokens) {
                neural_pred.push(tags.iter().map(|t| t.as_str()).collect::<Vec<_>>());
            }
            eprintln!(
                "neural cross-validation: fold {} of {k} in {:.1}s",
                f + 1,
                t0.elapsed().as_secs_f64()
            );
        }
    }
    let reports = pred.iter().map(|p| ner::conlleval(&gold, p)).collect();
    let neural = neural.map(|_| ner::conlleval(&gold, &neural_pred));
    Ok((reports, neural))
}

/// `qalam train ner`: dev experiment, cross-domain check, then the full model.
pub fn run(args: TrainNerArgs) -> Result<ExitCode> {
    let started = Instant::now();
    let train_path = args.data.join("anercorp/train.txt");
    let sentences = ner::read_conll(&train_path)
        .with_context(|| format!("reading {}", train_path.display()))?;
    if sentences.is_empty() {
        bail!("{}: no sentences", train_path.display());
    }
    let aqmar_dir = args.data.join("aqmar/articles");
    let aqmar = ner::read_aqmar_dir(&aqmar_dir)
        .with_context(|| format!("reading {}", aqmar_dir.display()))?;
    let config = TrainConfig {
        epochs: args.epochs,
        seed: args.seed,
        margin: args.margin,
        stacking: !args.no_stacking,
        dropout: args.dropout,
        auto_dropout: args.auto_dropout,
        auto_min_count: args.auto_min_count,
        auto_bias: args.auto_bias,
        ..TrainConfig::default()
    };
    let (res, text) = resources(&args.data, !args.no_clusters, !args.no_auto)?;
    let extra: &[LabelledSentence] = if args.with_aqmar { &aqmar } else { &[] };
    if args.folds > 1 {
        let t0 = Instant::now();
        let biases = if args.bias_sweep.is_empty() {
            vec![args.entity_bias]
        } else {
            args.bias_sweep.clone()
        };
        let neural =
            (args.model == NerModel::Neural && args.neural.neural_cv).then_some(&args.neural);
        let (reports, neural) = cross_validate(
            &config, &sentences, extra, &res, &text, args.folds, &biases, neural,
        )?;
        for (b, r) in biases.iter().zip(&reports) {
            eprintln!("entity bias {b}: cross-validated F1 {:.2}", r.f1());
        }
        let r = &reports[0];
        eprintln!(
            "{}-fold cross-validation in {:.1}s",
            args.folds,
            t0.elapsed().as_secs_f64()
        );
        print_report(
            &format!("{}-fold cross-validation on train.txt", args.folds),
            r,
        );
        if let Some(neural) = &neural {
            print_report(
                &format!("neural, {}-fold cross-validation on train.txt", args.folds),
                neural,
            );
            ner_neural::compare(&format!("{}-fold cross-validation", args.folds), r, neural);
        }
    }
    if !(0.0..1.0).contains(&args.dev_fraction) {
        bail!("--dev-fraction must be in [0, 1)");
    }
    if args.dev_fraction > 0.0 {
        let n_dev = ((sentences.len() as f64) * args.dev_fraction).round() as usize;
        let (tr, dev) = sentences.split_at(sentences.len() - n_dev);
        let mut tr: Vec<LabelledSentence> = tr.to_vec();
        if args.with_aqmar {
            tr.extend(aqmar.iter().cloned());
        }
        eprintln!(
            "dev run: {} training sentences, {} dev sentences",
            tr.len(),
            dev.len()
        );
        let t0 = Instant::now();
        let verbose = args.verbose;
        let mut tagger = ner::train_with(&config, &tr, res.clone(), Some(&text), |epoch, t| {
            if verbose {
                let r = t.evaluate(dev);
                eprintln!("epoch {epoch}: dev F1 {:.2}", r.f1());
            }
        });
        eprintln!(
            "dev run trained in {:.1}s ({} words with SaudiNewsNet evidence)",
            t0.elapsed().as_secs_f64(),
            tagger.resources().auto.len()
        );
        tagger.set_entity_bias(args.entity_bias);
        if let Some(p) = &args.dev_out {
            write_durably(p, &tagger.to_bytes())
                .with_context(|| format!("writing {}", p.display()))?;
        }
        print_report(
            "dev (last sentences of anercorp/train.txt)",
            &tagger.evaluate(dev),
        );
        if !args.with_aqmar {
            print_report("AQMAR (cross-domain)", &tagger.evaluate(&aqmar));
        }
        if args.model == NerModel::Neural {
            let aqmar = (!args.with_aqmar).then_some(aqmar.as_slice());
            ner_neural::dev_run(&args.neural, &config, &tr, dev, aqmar, &res, &text, &tagger)?;
        }
    }
    if args.dev_only {
        return Ok(ExitCode::SUCCESS);
    }
    let mut all = sentences;
    if args.with_aqmar {
        all.extend(aqmar);
    }
    let t0 = Instant::now();
    let mut tagger = ner::train_with(&config, &all, res.clone(), Some(&text), |_, _| {});
    tagger.set_entity_bias(args.entity_bias);
    write_durably(&args.out, &tagger.to_bytes())
        .with_context(|| format!("writing {}", args.out.display()))?;
    let size = std::fs::metadata(&args.out)?.len();
    eprintln!(
        "full model: {} sentences, {} features, trained in {:.1}s, {:.1} MB written to {} (total {:.1}s)",
        all.len(),
        tagger.num_features(),
        t0.elapsed().as_secs_f64(),
        size as f64 / 1e6,
        args.out.display(),
        started.elapsed().as_secs_f64()
    );
    if args.model == NerModel::Neural {
        let t0 = Instant::now();
        let head = ner_neural::fit_on(&args.neural, &config, &all, &res, &text, &tagger)?;
        ner_neural::write(&args.neural, &head, t0)?;
        eprintln!("total {:.1}s", started.elapsed().as_secs_f64());
    }
    Ok(ExitCode::SUCCESS)
}
