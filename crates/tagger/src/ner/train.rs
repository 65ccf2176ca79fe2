//! Training the NER model: seeded shuffles, a fixed number of perceptron epochs.

use std::collections::HashSet;

use qalam_text::{Profile, normalize_str};

use super::autolex::{AutoLexicon, Unlabelled};
use super::features::Extractor;
use super::names::Names;
use super::stacking::{self, History};
use super::words::WordCounts;
use super::{LabelledSentence, NerTagger, Resources, Tag, chunks};
use qalam_text::hash::SplitMix64;

use crate::linear::sequence::{Scratch, Sequence, SequenceModel, SequenceTrainer, bio_constraints};

/// Training settings.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainConfig {
    /// Passes over the training data.
    pub epochs: usize,
    /// Seed of the per-epoch shuffle.
    pub seed: u64,
    /// Features whose averaged weights all stay within ±`prune` are dropped from the model.
    pub prune: f32,
    /// Hamming-loss margin of the perceptron updates (see [`SequenceTrainer::set_margin`]).
    pub margin: f32,
    /// Probability of dropping a token's own word-identity features in a training step.
    pub dropout: f32,
    /// Train a second stage on the first stage's (jackknifed) labels and document history.
    pub stacking: bool,
    /// Folds of the jackknife that produces first-stage labels for the second stage.
    pub folds: usize,
    /// Word-identity dropout of the context model that tags unlabelled text (1: it never reads
    /// the token's own word, so its evidence on training words is no better than on new ones;
    /// 0.5 did as well in cross-validation and finds more of the names new since the training data).
    pub auto_dropout: f32,
    /// Words seen fewer times in the unlabelled text get no evidence.
    pub auto_min_count: u32,
    /// Added to the context model's entity-label scores when it tags unlabelled text (it is
    /// cautious without the word itself; above 0 counts more of its near-misses).
    pub auto_bias: f32,
    /// Words seen fewer times in the unlabelled text get no count (see [`WordCounts`]).
    pub count_min: u32,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            epochs: 12,
            seed: 0x0051_414c_414d,
            prune: 0.0,
            margin: 0.0,
            dropout: 0.0,
            stacking: true,
            folds: 5,
            auto_dropout: 0.5,
            auto_min_count: 3,
            auto_bias: 0.0,
            count_min: 3,
        }
    }
}

/// Adds the normalized first tokens of every gold entity of `sentences` to `lexicon`.
pub fn add_to_lexicon(sentences: &[LabelledSentence], lexicon: &mut HashSet<String>) {
    for s in sentences {
        let tags: Vec<Tag> = s.tags.iter().map(|t| t.parse().unwrap_or(Tag::O)).collect();
        for (a, b, _) in chunks(&tags) {
            let words: Vec<String> = s.tokens[a..b]
                .iter()
                .map(|t| normalize_str(t, Profile::Search))
                .collect();
            lexicon.insert(words.join(" "));
            lexicon.insert(words[0].clone());
        }
    }
}

/// Runs the perceptron epochs over `data[i]` for `i` in `members`; `on_epoch` sees each averaged model.
fn fit(
    config: &TrainConfig,
    data: &[(Sequence, Vec<u16>)],
    members: &[usize],
    mut on_epoch: impl FnMut(usize, &SequenceTrainer),
) -> SequenceModel {
    let labels: Vec<String> = (0..Tag::COUNT as u16)
        .map(|i| Tag::from_id(i).as_str().to_string())
        .collect();
    let mut trainer = SequenceTrainer::new(labels.clone(), Some(bio_constraints(&labels)));
    trainer.set_margin(config.margin);
    trainer.set_dropout(config.dropout, config.seed ^ 0xD809);
    let mut order = members.to_vec();
    let mut rng = SplitMix64::new(config.seed);
    for epoch in 1..=config.epochs {
        rng.shuffle(&mut order);
        for &i in &order {
            let (seq, gold) = &data[i];
            trainer.train(seq, gold);
        }
        on_epoch(epoch, &trainer);
    }
    trainer.finish(config.prune)
}

/// Trains a tagger on `sentences` (tags outside PERS/LOC/ORG/MISC read as `O`); `on_epoch` is
/// called after each epoch of the final stage with the epoch number (from 1) and the model so far.
///
/// With `config.stacking`, the first stage's labels of the training data come from models trained
/// on the other `config.folds` contiguous blocks, each block being one document for the history.
pub fn train(
    config: &TrainConfig,
    sentences: &[LabelledSentence],
    resources: Resources,
    on_epoch: impl FnMut(usize, &NerTagger),
) -> NerTagger {
    train_with(config, sentences, resources, None, on_epoch)
}

/// Feature sequences with their gold label ids.
type Examples = Vec<(Sequence, Vec<u16>)>;

/// The features and gold label ids of `sentences`, with each sentence's history keys.
fn extract_all(
    sentences: &[&LabelledSentence],
    resources: &Resources,
) -> (Examples, Vec<Vec<u64>>) {
    let mut extractor = Extractor::default();
    let mut keys = Vec::with_capacity(sentences.len());
    let data = sentences
        .iter()
        .map(|s| {
            let words: Vec<&str> = s.tokens.iter().map(String::as_str).collect();
            let mut seq = Sequence::default();
            extractor.extract(resources, &words, &mut seq);
            let mut k = Vec::new();
            extractor.history_keys(&mut k);
            keys.push(k);
            let gold = s
                .tags
                .iter()
                .map(|t| t.parse::<Tag>().unwrap_or(Tag::O).id())
                .collect();
            (seq, gold)
        })
        .collect();
    (data, keys)
}

/// Like [`train`], and first, if `unlabelled` is given, fills `resources.auto`: a context model
/// trained on `sentences` (see [`TrainConfig::auto_dropout`]) tags `unlabelled`, and each word
/// keeps the share of its occurrences tagged with each type; `resources.counts` gets the word
/// counts of `unlabelled`. Without a names list in `resources`, the built-in one is used.
pub fn train_with(
    config: &TrainConfig,
    sentences: &[LabelledSentence],
    mut resources: Resources,
    unlabelled: Option<&Unlabelled>,
    mut on_epoch: impl FnMut(usize, &NerTagger),
) -> NerTagger {
    add_to_lexicon(sentences, &mut resources.lexicon);
    resources.clusters.set_prior(&resources.gazetteer);
    resources.auto = Default::default();
    if resources.names.is_empty() {
        resources.names = Names::builtin();
    }
    resources.names.learn_parts(sentences);
    resources.counts = match unlabelled {
        Some(u) => WordCounts::from_unlabelled(u, config.count_min),
        None => WordCounts::default(),
    };
    let sentences: Vec<&LabelledSentence> =
        sentences.iter().filter(|s| !s.tokens.is_empty()).collect();
    let (mut data, mut keys) = extract_all(&sentences, &resources);
    let all: Vec<usize> = (0..data.len()).collect();
    if let Some(u) = unlabelled.filter(|u| !u.is_empty()) {
        let context = TrainConfig {
            dropout: config.auto_dropout,
            ..config.clone()
        };
        let mut model = fit(&context, &data, &all, |_, _| {});
        let mut bias = vec![config.auto_bias; Tag::COUNT];
        bias[0] = 0.0;
        model.set_label_bias(&bias);
        let mut counts = History::default();
        let (mut extractor, mut scratch) = (Extractor::default(), Scratch::default());
        let (mut seq, mut labels, mut k) = (Sequence::default(), Vec::new(), Vec::new());
        u.for_each_sentence(|words| {
            extractor.extract(&resources, words, &mut seq);
            model.decode(&seq, &mut scratch, &mut labels);
            extractor.history_keys(&mut k);
            counts.add(&k, &labels);
        });
        resources.auto = AutoLexicon::from_counts(&counts, config.auto_min_count);
        (data, keys) = extract_all(&sentences, &resources);
    }
    if !config.stacking {
        let stage1 = fit(config, &data, &all, |epoch, t| {
            on_epoch(
                epoch,
                &NerTagger::from_parts(t.finish(config.prune), None, resources.clone()),
            )
        });
        return NerTagger::from_parts(stage1, None, resources);
    }
    let stage1 = fit(config, &data, &all, |_, _| {});
    // Jackknifed first-stage labels and the second-stage features built from them.
    let k = config.folds.max(2).min(data.len().max(2));
    let mut data2: Vec<(Sequence, Vec<u16>)> = Vec::with_capacity(data.len());
    let mut scratch = Scratch::default();
    for f in 0..k {
        let (a, b) = (f * data.len() / k, (f + 1) * data.len() / k);
        let members: Vec<usize> = (0..a).chain(b..data.len()).collect();
        let m = fit(config, &data, &members, |_, _| {});
        let labels: Vec<Vec<u16>> = (a..b)
            .map(|i| {
                let mut out = Vec::new();
                m.decode(&data[i].0, &mut scratch, &mut out);
                out
            })
            .collect();
        for block in super::document_blocks((a..b).map(|i| data[i].1.len())) {
            let mut history = History::default();
            for i in block.clone() {
                history.add(&keys[a + i], &labels[i]);
            }
            for i in block {
                let mut seq2 = Sequence::default();
                stacking::stage2(
                    &data[a + i].0,
                    &labels[i],
                    &keys[a + i],
                    &history,
                    &mut seq2,
                );
                data2.push((seq2, data[a + i].1.clone()));
            }
        }
    }
    let stage2 = fit(config, &data2, &all, |epoch, t| {
        let tagger = NerTagger::from_parts(
            stage1.clone(),
            Some(t.finish(config.prune)),
            resources.clone(),
        );
        on_epoch(epoch, &tagger)
    });
    NerTagger::from_parts(stage1, Some(stage2), resources)
}
