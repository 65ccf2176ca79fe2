//! Training the network: seeded initialization, shuffles and dropout; AdamW on the CRF's
//! negative log-likelihood over packed batches of sentences; a fixed number of epochs.
//!
//! The CRF's gradients are computed outside the tensor graph (forward-backward per sentence, in
//! `crf.rs`); the graph gets them back through the surrogate loss `sum(scores · d_scores)`,
//! whose gradient with respect to the scores is `d_scores`.

use candle_core::{Device, Tensor, Var};
use candle_nn::{AdamW, Optimizer, ParamsAdamW};
use qalam_text::hash::SplitMix64;

use super::crf::{Crf, CrfGrads};
use super::inputs::{Featurizer, Inputs};
use super::model::{Net, NetConfig, compute};
use crate::linear::ModelError;
use crate::ner::{self, LabelledSentence, NerTagger, Resources, Tag, TrainConfig, Unlabelled};

/// Training settings.
#[derive(Clone, Debug, PartialEq)]
pub struct NeuralConfig {
    /// Passes over the training data.
    pub epochs: usize,
    /// Seed of the initialization, the shuffles and the dropout.
    pub seed: u64,
    /// AdamW learning rate (it falls linearly to a tenth over the epochs).
    pub learning_rate: f64,
    /// Width of the hidden layers.
    pub hidden: usize,
    /// Size of the sparse feature vectors.
    pub sparse_dim: usize,
    /// Hash buckets of the sparse features.
    pub buckets: u32,
    /// Dilation of each convolution layer.
    pub dilations: Vec<usize>,
    /// Size of the character vectors of the character CNN (0: no character CNN).
    pub char_dim: usize,
    /// Filters of the character CNN (its output per word).
    pub char_filters: usize,
    /// Dropout rate on the inputs and on the last hidden layer.
    pub dropout: f32,
    /// Tokens per packed batch (a longer sentence is a batch by itself).
    pub batch_tokens: usize,
    /// Read the perceptron's tags (jackknifed on the training data).
    pub stacked: bool,
    /// Folds of the jackknife that tags the training data with the perceptron.
    pub folds: usize,
    /// From this epoch (from 1) on, the weights are averaged over every later step, and the
    /// average is what is evaluated and returned; 0 keeps the last weights.
    pub average_from: usize,
}

impl Default for NeuralConfig {
    fn default() -> Self {
        NeuralConfig {
            epochs: 6,
            seed: 0x4e45_5552_414c,
            learning_rate: 2e-3,
            hidden: 128,
            sparse_dim: 32,
            buckets: 1 << 16,
            dilations: vec![1, 2, 4],
            char_dim: 0,
            char_filters: 0,
            dropout: 0.35,
            batch_tokens: 1500,
            stacked: true,
            folds: 5,
            average_from: 0,
        }
    }
}

/// One sentence ready to train on: its inputs and gold label ids.
struct Example {
    inputs: Inputs,
    gold: Vec<u16>,
}

/// A packed batch: the row, its mask, and where each sentence starts.
#[derive(Default)]
pub(crate) struct Packed {
    pub(crate) inputs: Inputs,
    pub(crate) mask: Vec<f32>,
    pub(crate) starts: Vec<usize>,
}

impl Packed {
    /// Starts an empty row (a leading gap).
    pub(crate) fn begin(&mut self, dense_dim: usize, gap: usize) {
        self.inputs.clear();
        self.mask.clear();
        self.starts.clear();
        self.inputs.push_gap(dense_dim, gap);
        self.mask.resize(gap, 0.0);
    }

    /// Appends a sentence's inputs (already in `self.inputs` from `from`) and a gap after it.
    pub(crate) fn close_sentence(&mut self, from: usize, dense_dim: usize, gap: usize) {
        self.starts.push(from);
        let n = self.inputs.len();
        self.mask.resize(n, 1.0);
        self.inputs.push_gap(dense_dim, gap);
        self.mask.resize(n + gap, 0.0);
    }
}

/// The perceptron's tags of every training sentence (before its document rules), each from a
/// model trained on the other `folds` contiguous blocks (the stacked input the network learns
/// to read).
pub fn jackknife(
    config: &TrainConfig,
    sentences: &[LabelledSentence],
    resources: &Resources,
    unlabelled: Option<&Unlabelled>,
    folds: usize,
) -> Vec<Vec<Tag>> {
    let k = folds.max(2).min(sentences.len().max(2));
    let mut out = Vec::with_capacity(sentences.len());
    for f in 0..k {
        let (a, b) = (f * sentences.len() / k, (f + 1) * sentences.len() / k);
        let train: Vec<LabelledSentence> = sentences[..a]
            .iter()
            .chain(&sentences[b..])
            .cloned()
            .collect();
        let mut tagger = ner::train_with(config, &train, resources.clone(), unlabelled, |_, _| {});
        // The network reads the perceptron's tags before the document rules (which run last).
        tagger.set_rules(ner::DocumentRules::NONE);
        out.extend(tagger.predict_sentences(&tokens_of(&sentences[a..b])));
    }
    out
}

/// The tokens of labelled sentences.
pub(crate) fn tokens_of(sentences: &[LabelledSentence]) -> Vec<Vec<&str>> {
    sentences
        .iter()
        .map(|s| s.tokens.iter().map(String::as_str).collect())
        .collect()
}

/// What [`train`] reports after each epoch.
#[derive(Clone, Copy, Debug)]
pub struct EpochStats {
    /// The epoch (from 1).
    pub epoch: usize,
    /// Mean negative log-likelihood per sentence.
    pub loss: f64,
    /// Seconds since training started.
    pub seconds: f64,
}

/// Trains the network on `sentences`; `stacked` holds the perceptron's (jackknifed) tags of
/// each sentence when `config.stacked`. `on_epoch` sees the stats and the network so far.
pub fn train(
    config: &NeuralConfig,
    sentences: &[LabelledSentence],
    stacked: Option<&[Vec<Tag>]>,
    featurizer: Featurizer,
    perceptron_digest: u64,
    mut on_epoch: impl FnMut(EpochStats, &Net),
) -> Result<Net, ModelError> {
    if config.stacked != stacked.is_some() {
        return Err(ModelError::Settings(
            "stacked training needs the perceptron's tags".into(),
        ));
    }
    if config.dilations.is_empty() || config.dilations.iter().any(|&d| d == 0 || d > 8) {
        return Err(ModelError::Settings("dilations must be in 1..=8".into()));
    }
    let started = std::time::Instant::now();
    let dense_dim = featurizer.dense_dim();
    let net_config = NetConfig {
        hidden: config.hidden,
        sparse_dim: config.sparse_dim,
        dense_dim,
        buckets: config.buckets,
        labels: Tag::COUNT,
        dilations: config.dilations.clone(),
        char_dim: if config.char_filters > 0 {
            config.char_dim
        } else {
            0
        },
        char_filters: if config.char_dim > 0 {
            config.char_filters
        } else {
            0
        },
        stacked: config.stacked,
        perceptron_digest: if config.stacked { perceptron_digest } else { 0 },
    };
    let mut net = Net::init(net_config, config.seed).map_err(compute)?;
    // Variables share storage with the network's tensors: the optimizer updates them in place.
    let mut vars = Vec::new();
    for t in net.params_mut() {
        let v = Var::from_tensor(t).map_err(compute)?;
        *t = v.as_tensor().clone();
        vars.push(v);
    }
    let l = Tag::COUNT;
    let crf_var = |n: usize| Var::zeros(n, candle_core::DType::F32, &Device::Cpu);
    let (trans, start, end) = (
        crf_var(l * l).map_err(compute)?,
        crf_var(l).map_err(compute)?,
        crf_var(l).map_err(compute)?,
    );
    let mut all_vars = vars.clone();
    all_vars.extend([trans.clone(), start.clone(), end.clone()]);
    let params = ParamsAdamW {
        lr: config.learning_rate,
        weight_decay: 1e-4,
        ..Default::default()
    };
    let mut opt = AdamW::new(all_vars.clone(), params).map_err(compute)?;
    let mut average = Average::default();

    let examples: Vec<Example> = sentences
        .iter()
        .enumerate()
        .filter(|(_, s)| !s.tokens.is_empty())
        .map(|(i, s)| {
            let words: Vec<&str> = s.tokens.iter().map(String::as_str).collect();
            let mut inputs = Inputs::default();
            let tags = stacked.map(|t| t[i].as_slice());
            featurizer.push_sentence(&words, tags, &mut inputs);
            let gold = s
                .tags
                .iter()
                .map(|t| t.parse::<Tag>().unwrap_or(Tag::O).id())
                .collect();
            Example { inputs, gold }
        })
        .collect();
    let gap = net.gap();
    let mut rng = SplitMix64::new(config.seed ^ 0x5348_5546);
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut packed = Packed::default();
    let mut batch: Vec<usize> = Vec::new();
    for epoch in 1..=config.epochs {
        let frac = (epoch - 1) as f64 / config.epochs.max(1) as f64;
        opt.set_learning_rate(config.learning_rate * (1.0 - 0.9 * frac));
        rng.shuffle(&mut order);
        let mut loss_sum = 0f64;
        let mut i = 0;
        while i < order.len() {
            batch.clear();
            let mut tokens = 0;
            while i < order.len()
                && (batch.is_empty()
                    || tokens + examples[order[i]].gold.len() <= config.batch_tokens)
            {
                tokens += examples[order[i]].gold.len() + gap;
                batch.push(order[i]);
                i += 1;
            }
            packed.begin(dense_dim, gap);
            for &e in &batch {
                let from = packed.inputs.len();
                packed.inputs.extend(&examples[e].inputs);
                packed.close_sentence(from, dense_dim, gap);
            }
            net.crf = crf_of(l, &trans, &start, &end).map_err(compute)?;
            let scores = net
                .forward(
                    &packed.inputs,
                    &packed.mask,
                    None,
                    Some((&mut rng, config.dropout)),
                )
                .map_err(compute)?;
            let values = scores
                .flatten_all()
                .and_then(|t| t.to_vec1::<f32>())
                .map_err(compute)?;
            let mut d_scores = vec![0f32; values.len()];
            let mut grads = CrfGrads::zeros(l);
            for (&e, &from) in batch.iter().zip(&packed.starts) {
                let gold = &examples[e].gold;
                let range = from * l..(from + gold.len()) * l;
                loss_sum += f64::from(net.crf.nll_grad(
                    &values[range.clone()],
                    gold,
                    &mut d_scores[range],
                    &mut grads,
                ));
            }
            let scale = 1.0 / batch.len() as f32;
            let t = |v: Vec<f32>, n: usize| {
                Tensor::from_vec(
                    v.iter().map(|x| x * scale).collect::<Vec<_>>(),
                    n,
                    &Device::Cpu,
                )
            };
            let n = packed.inputs.len();
            let surrogate = (|| {
                let d = t(d_scores, n * l)?.reshape((n, l))?;
                let s = (scores * d)?.sum_all()?;
                let s = (s + (trans.as_tensor() * t(grads.trans, l * l)?)?.sum_all()?)?;
                let s = (s + (start.as_tensor() * t(grads.start, l)?)?.sum_all()?)?;
                s + (end.as_tensor() * t(grads.end, l)?)?.sum_all()?
            })()
            .map_err(compute)?;
            let g = surrogate.backward().map_err(compute)?;
            opt.step(&g).map_err(compute)?;
            if config.average_from > 0 && epoch >= config.average_from {
                average.add(&all_vars).map_err(compute)?;
            }
        }
        net.crf = crf_of(l, &trans, &start, &end).map_err(compute)?;
        let stats = EpochStats {
            epoch,
            loss: loss_sum / examples.len().max(1) as f64,
            seconds: started.elapsed().as_secs_f64(),
        };
        if average.steps > 0 {
            on_epoch(stats, &average.net(&net).map_err(compute)?);
        } else {
            on_epoch(stats, &net);
        }
    }
    if average.steps > 0 {
        return average.net(&net).map_err(compute);
    }
    // Plain tensors again (no gradient tracking) for the caller.
    for t in net.params_mut() {
        *t = t.detach();
    }
    Ok(net)
}

/// The CRF of `labels` labels with the current values of its transition, start and end scores.
fn crf_of(labels: usize, trans: &Tensor, start: &Tensor, end: &Tensor) -> candle_core::Result<Crf> {
    Ok(Crf {
        labels,
        trans: trans.to_vec1()?,
        start: start.to_vec1()?,
        end: end.to_vec1()?,
    })
}

/// The running mean of the variables (network parameters, then the CRF's transition, start and
/// end scores) over the training steps it has seen.
#[derive(Default)]
struct Average {
    /// Mean of each variable.
    means: Vec<Tensor>,
    /// Steps averaged.
    steps: usize,
}

impl Average {
    /// Adds the variables' current values.
    fn add(&mut self, vars: &[Var]) -> candle_core::Result<()> {
        self.steps += 1;
        if self.means.is_empty() {
            self.means = vars.iter().map(|v| v.as_tensor().detach()).collect();
            return Ok(());
        }
        let k = 1.0 / self.steps as f64;
        for (m, v) in self.means.iter_mut().zip(vars) {
            let delta = (v.as_tensor().detach() - &*m)?;
            *m = (&*m + (delta * k)?)?.detach();
        }
        Ok(())
    }

    /// `net` with the averaged weights.
    fn net(&self, net: &Net) -> candle_core::Result<Net> {
        let mut out = net.clone();
        let n = self.means.len() - 3;
        for (t, m) in out.params_mut().into_iter().zip(&self.means[..n]) {
            *t = m.clone();
        }
        let l = out.config.labels;
        let [trans, start, end] = [&self.means[n], &self.means[n + 1], &self.means[n + 2]];
        out.crf = crf_of(l, trans, start, end)?;
        Ok(out)
    }
}

/// The perceptron model's digest as stored in a stacked network: FNV-1a of its file bytes.
pub fn perceptron_digest(perceptron: &NerTagger) -> u64 {
    qalam_text::hash::fnv1a(&perceptron.to_bytes())
}
