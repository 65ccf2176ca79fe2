//! Training the NER model: seeded shuffles, a fixed number of perceptron epochs.

use std::collections::HashSet;

use qalam_text::{Profile, normalize_str};

use super::features::Extractor;
use super::{NerTagger, Resources, Sentence, Tag, chunks};
use crate::perceptron::{Sequence, Trainer, bio_constraints};

/// Training settings.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainConfig {
    /// Passes over the training data.
    pub epochs: usize,
    /// Seed of the per-epoch shuffle.
    pub seed: u64,
    /// Features whose averaged weights all stay within ±`prune` are dropped from the model.
    pub prune: f32,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            epochs: 12,
            seed: 0x0051_414c_414d,
            prune: 0.0,
        }
    }
}

/// A small deterministic generator (SplitMix64) for shuffling.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

/// Adds the normalized first tokens of every gold entity of `sentences` to `lexicon`.
pub fn add_to_lexicon(sentences: &[Sentence], lexicon: &mut HashSet<String>) {
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

/// Trains a tagger on `sentences` (tags outside PERS/LOC/ORG/MISC read as `O`); `on_epoch` is
/// called after each epoch with the epoch number (from 1) and the averaged model so far.
pub fn train(
    config: &TrainConfig,
    sentences: &[Sentence],
    mut resources: Resources,
    mut on_epoch: impl FnMut(usize, &NerTagger),
) -> NerTagger {
    add_to_lexicon(sentences, &mut resources.lexicon);
    let labels: Vec<String> = (0..Tag::COUNT as u16)
        .map(|i| Tag::from_id(i).as_str().to_string())
        .collect();
    let mut trainer = Trainer::new(labels.clone(), Some(bio_constraints(&labels)));
    let mut extractor = Extractor::default();
    let data: Vec<(Sequence, Vec<u16>)> = sentences
        .iter()
        .filter(|s| !s.tokens.is_empty())
        .map(|s| {
            let words: Vec<&str> = s.tokens.iter().map(String::as_str).collect();
            let mut seq = Sequence::default();
            extractor.extract(&resources, &words, &mut seq);
            let gold = s
                .tags
                .iter()
                .map(|t| t.parse::<Tag>().unwrap_or(Tag::O).id())
                .collect();
            (seq, gold)
        })
        .collect();
    let mut order: Vec<usize> = (0..data.len()).collect();
    let mut rng = SplitMix(config.seed);
    let mut tagger = None;
    for epoch in 1..=config.epochs {
        rng.shuffle(&mut order);
        for &i in &order {
            let (seq, gold) = &data[i];
            trainer.train(seq, gold);
        }
        let t = NerTagger::from_parts(trainer.finish(config.prune), resources.clone());
        on_epoch(epoch, &t);
        tagger = Some(t);
    }
    tagger.unwrap_or_else(|| NerTagger::from_parts(trainer.finish(config.prune), resources))
}
