//! Training: fastText-style skip-gram with negative sampling over words and their char n-grams.
//!
//! A word's input vector is the mean of its own row and the rows of its hashed char n-grams;
//! it predicts each word of a random window around it (1..=`window` each side) against
//! `negatives` words drawn from the unigram distribution raised to 0.5 (fastText's). Frequent
//! words are subsampled (kept with probability √(t/f) + t/f), and the learning rate falls
//! linearly to 0 over all epochs. As in fastText, each context word's gradient moves the centre
//! word's input vector before the next context word is predicted; but instead of adding it to
//! every row of the centre word each time (fastText), the mean is moved at once and the rows
//! get the window's sum at the end: the same numbers (unless a word repeats an n-gram bucket)
//! for one pass over the rows per word instead of one per context word.
//!
//! Training runs on one thread, with one seeded [`SplitMix64`] for every random choice, so the
//! same text and settings give the same bytes.

use qalam_text::hash::SplitMix64;

use super::corpus::Corpus;
use super::model::{Embeddings, MAX_DIM, MAX_NGRAM, Rows};
use super::ngrams::for_each_ngram;
use crate::linear::ModelError;

/// Training settings.
#[derive(Clone, Debug, PartialEq)]
pub struct EmbedConfig {
    /// Vector size.
    pub dim: usize,
    /// Passes over the text.
    pub epochs: usize,
    /// Words seen fewer times are not trained as words (their n-grams still are, through the
    /// words that share them).
    pub min_count: u64,
    /// Words kept in the model file (the most frequent); the others get n-gram vectors.
    pub max_words: usize,
    /// Hash buckets of the char n-grams during training.
    pub buckets: u32,
    /// N-gram buckets kept in the model file: those found in the most vocabulary words.
    pub keep_buckets: usize,
    /// Shortest char n-gram (the `<` `>` word boundaries count as chars).
    pub minn: usize,
    /// Longest char n-gram.
    pub maxn: usize,
    /// Largest window on each side of a word.
    pub window: usize,
    /// Negative samples per context word.
    pub negatives: usize,
    /// Learning rate at the start (falls linearly to 0).
    pub lr: f32,
    /// Subsampling threshold t of frequent words.
    pub sample: f64,
    /// Seed of the initial vectors, the subsampling, the windows and the negative samples.
    pub seed: u64,
}

impl Default for EmbedConfig {
    fn default() -> Self {
        EmbedConfig {
            dim: 100,
            epochs: 5,
            min_count: 5,
            max_words: 150_000,
            buckets: 1 << 20,
            keep_buckets: 160_000,
            minn: 3,
            maxn: 5,
            window: 5,
            negatives: 5,
            lr: 0.05,
            sample: 1e-4,
            seed: 0x0051_414c_414d,
        }
    }
}

impl EmbedConfig {
    /// Checks that the settings can be trained and stored.
    pub fn check(&self) -> Result<(), ModelError> {
        let bad = |what: &str| Err(ModelError::Settings(what.to_string()));
        if !(1..=MAX_DIM).contains(&self.dim) {
            return bad(&format!("dim must be in 1..={MAX_DIM}"));
        }
        if self.minn == 0 || self.minn > self.maxn || self.maxn > MAX_NGRAM {
            return bad(&format!(
                "n-gram lengths must satisfy 1 <= minn <= maxn <= {MAX_NGRAM}"
            ));
        }
        if self.buckets == 0 || self.buckets > 1 << 24 {
            return bad("buckets must be in 1..=16777216");
        }
        if self.epochs == 0 || self.window == 0 {
            return bad("epochs and window must be at least 1");
        }
        let lr_ok = self.lr.is_finite() && self.lr > 0.0;
        let sample_ok = self.sample.is_finite() && self.sample >= 0.0;
        if !lr_ok || !sample_ok {
            return bad("lr must be > 0 and sample >= 0");
        }
        Ok(())
    }
}

/// Progress of a training run, passed to the caller's callback now and then.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Progress {
    /// Tokens processed so far (over all epochs, before subsampling).
    pub done: u64,
    /// Tokens to process in all.
    pub total: u64,
    /// Mean negative-sampling loss per prediction since the last report.
    pub loss: f32,
    /// The current learning rate.
    pub lr: f32,
}

/// What a training run saw and kept.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct TrainStats {
    /// Words with at least `min_count` occurrences (trained as words).
    pub vocabulary: usize,
    /// Tokens of those words in the text (one epoch).
    pub tokens: u64,
    /// Tokens that were centre words after subsampling (all epochs).
    pub trained: u64,
    /// Mean loss over the last epoch.
    pub loss: f32,
    /// N-gram buckets hit by at least one vocabulary word.
    pub buckets_used: usize,
}

/// Negative-sampling table entries (at most).
const NEG_TABLE: usize = 1 << 23;
/// Tokens between two progress reports.
const REPORT_EVERY: u64 = 1 << 16;

/// Trains embeddings on `corpus`; `progress` is called every few tens of thousands of tokens.
pub fn train(
    config: &EmbedConfig,
    corpus: &Corpus,
    mut progress: impl FnMut(&Progress),
) -> Result<(Embeddings, TrainStats), ModelError> {
    // Not generic, so that the loop is compiled (and optimized) with this crate.
    train_dyn(config, corpus, &mut progress)
}

fn train_dyn(
    config: &EmbedConfig,
    corpus: &Corpus,
    progress: &mut dyn FnMut(&Progress),
) -> Result<(Embeddings, TrainStats), ModelError> {
    config.check()?;
    let dim = config.dim;
    // The vocabulary: words seen min_count times or more, by falling count, then by spelling.
    let mut vocab: Vec<u32> = (0..corpus.distinct() as u32)
        .filter(|&i| corpus.counts()[i as usize] >= config.min_count)
        .collect();
    if vocab.is_empty() {
        return Err(ModelError::Settings(format!(
            "no word occurs {} times or more",
            config.min_count
        )));
    }
    vocab.sort_by(|&a, &b| {
        let (a, b) = (a as usize, b as usize);
        corpus.counts()[b]
            .cmp(&corpus.counts()[a])
            .then_with(|| corpus.words()[a].cmp(&corpus.words()[b]))
    });
    let nv = vocab.len();
    let mut to_train = vec![u32::MAX; corpus.distinct()];
    for (i, &c) in vocab.iter().enumerate() {
        to_train[c as usize] = i as u32;
    }
    let counts: Vec<u64> = vocab.iter().map(|&c| corpus.counts()[c as usize]).collect();
    let tokens: u64 = counts.iter().sum();

    // Input rows: the nv words, then the buckets. Each word's rows: itself, then its n-grams.
    let mut sub_start = Vec::with_capacity(nv + 1);
    let mut subwords: Vec<u32> = Vec::with_capacity(nv * 16);
    for (i, &c) in vocab.iter().enumerate() {
        sub_start.push(subwords.len());
        subwords.push(i as u32);
        let word = &corpus.words()[c as usize];
        for_each_ngram(word, config.minn, config.maxn, config.buckets, |b| {
            subwords.push(nv as u32 + b)
        });
    }
    sub_start.push(subwords.len());

    let mut rng = SplitMix64::new(config.seed);
    let rows = nv + config.buckets as usize;
    let bound = 1.0 / dim as f32;
    let mut input: Vec<f32> = (0..rows * dim)
        .map(|_| (uniform(&mut rng) * 2.0 - 1.0) * bound)
        .collect();
    let mut output = vec![0f32; nv * dim];

    // Keep probabilities of subsampling, and the negative-sampling table (counts^0.5).
    let keep: Vec<u32> = counts
        .iter()
        .map(|&c| {
            let f = c as f64 / tokens as f64;
            let p = if config.sample > 0.0 {
                ((config.sample / f).sqrt() + config.sample / f).min(1.0)
            } else {
                1.0
            };
            (p * u32::MAX as f64) as u32
        })
        .collect();
    let table = negative_table(&counts);

    let total = tokens * config.epochs as u64;
    let mut stats = TrainStats {
        vocabulary: nv,
        tokens,
        ..TrainStats::default()
    };
    let mut done = 0u64;
    let mut next_report = REPORT_EVERY;
    let (mut loss_sum, mut loss_n) = (0f64, 0u64);
    let (mut epoch_loss, mut epoch_n) = (0f64, 0u64);
    let mut doc: Vec<u32> = Vec::new();
    let mut hidden = vec![0f32; dim];
    let mut grad = vec![0f32; dim];
    let mut step = vec![0f32; dim];
    let mut lr = config.lr;
    for epoch in 0..config.epochs {
        if epoch + 1 == config.epochs {
            (epoch_loss, epoch_n) = (0.0, 0);
        }
        corpus.for_each_document(|ids| {
            // The document's vocabulary words, subsampled.
            doc.clear();
            let mut seen = 0u64;
            for &c in ids {
                let w = to_train[c as usize];
                if w == u32::MAX {
                    continue;
                }
                seen += 1;
                if (rng.next_u64() >> 32) as u32 <= keep[w as usize] {
                    doc.push(w);
                }
            }
            stats.trained += doc.len() as u64;
            for i in 0..doc.len() {
                lr = config.lr * (1.0 - (done + i as u64) as f32 / total as f32).max(0.0);
                let center = doc[i] as usize;
                let subs = &subwords[sub_start[center]..sub_start[center + 1]];
                hidden.fill(0.0);
                for &s in subs {
                    add(&mut hidden, &input[s as usize * dim..][..dim]);
                }
                scale(&mut hidden, 1.0 / subs.len() as f32);
                grad.fill(0.0);
                let b = 1 + (rng.next_u64() % config.window as u64) as usize;
                let lo = i.saturating_sub(b);
                let hi = (i + b).min(doc.len() - 1);
                for (j, &target) in doc.iter().enumerate().take(hi + 1).skip(lo) {
                    if j == i {
                        continue;
                    }
                    let mut loss = 0f32;
                    step.fill(0.0);
                    for k in 0..=config.negatives {
                        let (t, label) = if k == 0 {
                            (target, 1.0)
                        } else {
                            let mut t = table[(rng.next_u64() % table.len() as u64) as usize];
                            while t == target {
                                t = table[(rng.next_u64() % table.len() as u64) as usize];
                            }
                            (t, 0.0)
                        };
                        let out = &mut output[t as usize * dim..][..dim];
                        let score = sigmoid(dot(out, &hidden));
                        loss -= if label > 0.0 {
                            score.max(1e-6).ln()
                        } else {
                            (1.0 - score).max(1e-6).ln()
                        };
                        let g = lr * (label - score);
                        axpy(&mut step, g, out);
                        axpy(out, g, &hidden);
                    }
                    // fastText adds `step` to every row of the centre word now, which moves
                    // their mean by `step`; the rows get the sum once the window is done.
                    add(&mut hidden, &step);
                    add(&mut grad, &step);
                    loss_sum += f64::from(loss);
                    loss_n += 1;
                    epoch_loss += f64::from(loss);
                    epoch_n += 1;
                }
                for &s in subs {
                    add(&mut input[s as usize * dim..][..dim], &grad);
                }
            }
            done += seen;
            if done >= next_report {
                next_report = done + REPORT_EVERY;
                progress(&Progress {
                    done,
                    total,
                    loss: (loss_sum / loss_n.max(1) as f64) as f32,
                    lr,
                });
                (loss_sum, loss_n) = (0.0, 0);
            }
        });
    }
    progress(&Progress {
        done,
        total,
        loss: (loss_sum / loss_n.max(1) as f64) as f32,
        lr: 0.0,
    });
    stats.loss = (epoch_loss / epoch_n.max(1) as f64) as f32;

    // The stored words: the most frequent, each as the mean of its rows.
    let kept = nv.min(config.max_words);
    let mut word_rows = Rows::new(dim);
    let mut words = Vec::with_capacity(kept);
    let mut v = vec![0f32; dim];
    for w in 0..kept {
        let subs = &subwords[sub_start[w]..sub_start[w + 1]];
        v.fill(0.0);
        for &s in subs {
            add(&mut v, &input[s as usize * dim..][..dim]);
        }
        scale(&mut v, 1.0 / subs.len() as f32);
        word_rows.push(&v);
        let c = vocab[w] as usize;
        words.push((
            corpus.words()[c].clone(),
            counts[w].min(u64::from(u32::MAX)) as u32,
        ));
    }
    // The stored buckets: those in the most vocabulary words (ties: lower id).
    let mut types = vec![0u32; config.buckets as usize];
    for w in 0..nv {
        for &s in &subwords[sub_start[w] + 1..sub_start[w + 1]] {
            types[s as usize - nv] += 1;
        }
    }
    let mut used: Vec<u32> = (0..config.buckets)
        .filter(|&b| types[b as usize] > 0)
        .collect();
    stats.buckets_used = used.len();
    used.sort_by(|&a, &b| types[b as usize].cmp(&types[a as usize]).then(a.cmp(&b)));
    used.truncate(config.keep_buckets);
    used.sort_unstable();
    let mut ngram_rows = Rows::new(dim);
    for &b in &used {
        ngram_rows.push(&input[(nv + b as usize) * dim..][..dim]);
    }
    let model = Embeddings::from_parts(
        (config.minn, config.maxn, config.buckets),
        words,
        word_rows,
        used,
        ngram_rows,
    );
    Ok((model, stats))
}

/// A uniform draw in [0, 1).
fn uniform(rng: &mut SplitMix64) -> f32 {
    (rng.next_u64() >> 40) as f32 / (1u64 << 24) as f32
}

/// The table negative samples are drawn from: each word as often as its count^0.5.
fn negative_table(counts: &[u64]) -> Vec<u32> {
    let weights: Vec<f64> = counts.iter().map(|&c| (c as f64).sqrt()).collect();
    let z: f64 = weights.iter().sum();
    // A thousand entries a word at least, so that small vocabularies get small tables.
    let size = NEG_TABLE.min(counts.len().saturating_mul(1000));
    let mut table = Vec::with_capacity(size + counts.len());
    for (w, &x) in weights.iter().enumerate() {
        let n = ((x / z) * size as f64).ceil() as usize;
        table.extend(std::iter::repeat_n(w as u32, n.max(1)));
    }
    table
}

#[inline]
fn sigmoid(x: f32) -> f32 {
    if x > 8.0 {
        1.0
    } else if x < -8.0 {
        0.0
    } else {
        1.0 / (1.0 + (-x).exp())
    }
}

/// The dot product, in 8 lanes (so that it vectorizes).
#[inline]
fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0f32; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f32 = ca
        .remainder()
        .iter()
        .zip(cb.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (x, y) in ca.zip(cb) {
        for k in 0..8 {
            acc[k] += x[k] * y[k];
        }
    }
    acc.iter().sum::<f32>() + tail
}

/// y += a·x.
#[inline]
fn axpy(y: &mut [f32], a: f32, x: &[f32]) {
    for (y, x) in y.iter_mut().zip(x) {
        *y += a * x;
    }
}

/// y += x.
#[inline]
fn add(y: &mut [f32], x: &[f32]) {
    for (y, x) in y.iter_mut().zip(x) {
        *y += x;
    }
}

/// y *= a.
#[inline]
fn scale(y: &mut [f32], a: f32) {
    for y in y {
        *y *= a;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::embed::model::{Found, cosine};

    /// Two topics that never meet: capitals with travel words, first names with speech words.
    fn two_topics(docs: usize) -> Corpus {
        let places = ["الرياض", "جدة", "القاهرة", "دمشق", "بغداد"];
        let people = ["محمد", "احمد", "خالد", "سعيد", "علي"];
        let travel = ["سافر", "الى", "وصل", "مدينة", "زار"];
        let speech = ["قال", "صرح", "اكد", "الشيخ", "السيد"];
        let mut rng = SplitMix64::new(3);
        let mut c = Corpus::new();
        let mut pick = |v: &[&'static str]| v[(rng.next_u64() % v.len() as u64) as usize];
        for d in 0..docs {
            let (names, ctx) = if d % 2 == 0 {
                (&places, &travel)
            } else {
                (&people, &speech)
            };
            let doc: Vec<&str> = (0..30)
                .map(|i| if i % 3 == 0 { pick(names) } else { pick(ctx) })
                .collect();
            c.add_document(doc);
        }
        c
    }

    fn config() -> EmbedConfig {
        EmbedConfig {
            dim: 16,
            epochs: 3,
            min_count: 1,
            buckets: 1 << 12,
            sample: 0.0,
            lr: 0.05,
            ..EmbedConfig::default()
        }
    }

    #[test]
    fn words_of_a_topic_end_up_together() {
        let corpus = two_topics(300);
        let (e, stats) = train(&config(), &corpus, |_| {}).unwrap();
        assert_eq!(stats.vocabulary, 20);
        assert_eq!(e.len(), 20);
        let vec = |w: &str| {
            let mut v = vec![0f32; 16];
            assert!(matches!(e.lookup_norm(w, &mut v), Found::Word(_)));
            v
        };
        let same = cosine(&vec("الرياض"), &vec("القاهرة"));
        let across = cosine(&vec("الرياض"), &vec("محمد"));
        assert!(same > across + 0.2, "same {same}, across {across}");
        let same = cosine(&vec("خالد"), &vec("سعيد"));
        let across = cosine(&vec("خالد"), &vec("دمشق"));
        assert!(same > across + 0.2, "same {same}, across {across}");
        assert!(stats.loss.is_finite() && stats.loss < 3.0, "{}", stats.loss);
    }

    #[test]
    fn training_is_deterministic_and_seeded() {
        let corpus = two_topics(40);
        let a = train(&config(), &corpus, |_| {}).unwrap().0.to_bytes();
        let b = train(&config(), &corpus, |_| {}).unwrap().0.to_bytes();
        assert_eq!(a, b);
        let other = EmbedConfig {
            seed: 99,
            ..config()
        };
        let c = train(&other, &corpus, |_| {}).unwrap().0.to_bytes();
        assert_ne!(a, c);
    }

    #[test]
    fn vocabulary_and_buckets_are_pruned() {
        let corpus = two_topics(40);
        let small = EmbedConfig {
            max_words: 7,
            keep_buckets: 50,
            ..config()
        };
        let mut reports = Vec::new();
        let (e, stats) = train(&small, &corpus, |p| reports.push(*p)).unwrap();
        assert_eq!((e.len(), e.ngram_rows()), (7, 50));
        assert!(stats.buckets_used > 50);
        // The most frequent words are kept, by falling count.
        assert!((1..7).all(|i| e.count(i - 1) >= e.count(i)));
        // A pruned word still gets a vector from its n-grams.
        let dropped = ["الرياض", "جدة", "القاهرة", "دمشق", "بغداد", "محمد"]
            .into_iter()
            .find(|w| e.id(w).is_none())
            .unwrap();
        let mut v = vec![0f32; 16];
        assert!(matches!(e.lookup_norm(dropped, &mut v), Found::Subwords(_)));
        let last = reports.last().unwrap();
        assert_eq!(
            (last.done, last.total),
            (stats.tokens * 3, stats.tokens * 3)
        );
    }

    #[test]
    fn bad_settings_are_errors() {
        let corpus = two_topics(4);
        for bad in [
            EmbedConfig { dim: 0, ..config() },
            EmbedConfig {
                minn: 4,
                maxn: 3,
                ..config()
            },
            EmbedConfig {
                buckets: 0,
                ..config()
            },
            EmbedConfig {
                epochs: 0,
                ..config()
            },
            EmbedConfig {
                lr: f32::NAN,
                ..config()
            },
            EmbedConfig {
                min_count: 1000,
                ..config()
            },
        ] {
            assert!(matches!(
                train(&bad, &corpus, |_| {}),
                Err(ModelError::Settings(_))
            ));
        }
        assert!(train(&config(), &Corpus::new(), |_| {}).is_err());
    }
}
