//! Shared parts of the fuzz targets: small valid models to mutate, and an edit script that
//! turns fuzz input into mutations of them (so the fuzzer reaches past the headers).

use std::sync::OnceLock;

use qalam_tagger::embed::{self, Corpus, EmbedConfig, Embeddings};
use qalam_tagger::ner::{self, LabelledSentence, NerTagger, Resources, TrainConfig};
use qalam_tagger::neural::{self, Featurizer, NeuralConfig, NeuralNer};
use qalam_tagger::padt::data::{read_words, rebuild_sentence};
use qalam_tagger::padt::{LemmaConfig, Lemmatizer, PosConfig, PosTagger, SegConfig, Segmenter};

/// The PADT excerpt the tagger's tests train on.
const PADT_MINI: &str = include_str!("../../crates/tagger/tests/fixtures/padt-mini.conllu");

/// Applies an edit script to `base`: 6-byte edits `[op, position u32 LE, value]`.
///
/// `op % 4`: 0 sets the byte at `position % len` to `value`; 1 writes a large u32 there (a
/// lying length prefix); 2 cuts the bytes at `position % (len + 1)`; 3 inserts `value` there.
pub fn mutate(base: &[u8], script: &[u8]) -> Vec<u8> {
    let mut out = base.to_vec();
    for edit in script.chunks_exact(6) {
        let pos = u32::from_le_bytes([edit[1], edit[2], edit[3], edit[4]]) as usize;
        let value = edit[5];
        match edit[0] % 4 {
            0 if !out.is_empty() => {
                let at = pos % out.len();
                out[at] = value;
            }
            1 if out.len() >= 4 => {
                let at = pos % (out.len() - 3);
                let big = u32::MAX - u32::from(value) * 0x0101_0101 / 2;
                out[at..at + 4].copy_from_slice(&big.to_le_bytes());
            }
            2 => out.truncate(pos % (out.len() + 1)),
            3 => {
                let at = pos % (out.len() + 1);
                out.insert(at, value);
            }
            _ => {}
        }
    }
    out
}

/// Model bytes from fuzz input: byte 0 even means the rest is the model itself, odd means the
/// rest is an edit script (see [`mutate`]) over `base`.
pub fn model_bytes(data: &[u8], base: &[u8]) -> Vec<u8> {
    match data.split_first() {
        Some((mode, rest)) if mode % 2 == 1 => mutate(base, rest),
        Some((_, rest)) => rest.to_vec(),
        None => Vec::new(),
    }
}

/// The made-up sentences the small NER models are trained on.
fn small_sentences() -> [LabelledSentence; 3] {
    let sentence = |pairs: &[(&str, &str)]| LabelledSentence {
        tokens: pairs.iter().map(|(w, _)| w.to_string()).collect(),
        tags: pairs.iter().map(|(_, t)| t.to_string()).collect(),
    };
    [
        sentence(&[
            ("قال", "O"),
            ("محمد", "B-PERS"),
            ("علي", "I-PERS"),
            ("في", "O"),
            ("الرياض", "B-LOC"),
        ]),
        sentence(&[
            ("أعلنت", "O"),
            ("الأمم", "B-ORG"),
            ("المتحدة", "I-ORG"),
            ("عن", "O"),
            ("مؤتمر", "B-MISC"),
        ]),
        sentence(&[("زار", "O"), ("أحمد", "B-PERS"), ("جدة", "B-LOC")]),
    ]
}

/// A small NER model trained on a few made-up sentences, with a gazetteer, clusters and
/// lexicon so that every section of the format is present.
pub fn small_ner() -> &'static [u8] {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(|| {
        let sentences = small_sentences();
        let mut resources = Resources::default();
        resources.gazetteer.add(ner::EntityKind::Loc, "سوريا");
        resources.gazetteer.add(ner::EntityKind::Pers, "محمد علي");
        resources.clusters =
            ner::Clusters::from_pairs([("الرياض".to_string(), 3), ("جدة".to_string(), 3)]);
        let config = TrainConfig {
            epochs: 2,
            stacking: false,
            ..TrainConfig::default()
        };
        ner::train(&config, &sentences, resources, |_, _| {}).to_bytes()
    })
}

/// Small PADT models (segmenter, tagger, lemmatizer) trained on the tagger's test excerpt.
pub fn small_padt() -> &'static [Vec<u8>; 3] {
    static BYTES: OnceLock<[Vec<u8>; 3]> = OnceLock::new();
    BYTES.get_or_init(|| {
        let words = read_words(PADT_MINI);
        let sentences: Vec<_> = words.iter().cloned().map(rebuild_sentence).collect();
        let seg = Segmenter::train(
            &sentences,
            &SegConfig {
                epochs: 1,
                ..SegConfig::default()
            },
        );
        let pos = PosTagger::train(
            &words,
            &PosConfig {
                epochs: 1,
                ..PosConfig::default()
            },
        );
        let lemma = Lemmatizer::train(
            &words,
            &LemmaConfig {
                epochs: 1,
                ..LemmaConfig::default()
            },
        );
        [seg.save(), pos.save(), lemma.save()]
    })
}

/// Runs a loaded NER model on a short text, as the analysis does.
pub fn use_ner(tagger: &NerTagger) {
    let text = "قال محمد علي في الرياض إن الأمم المتحدة تعقد مؤتمرا في جدة.";
    let tokens = qalam_text::tokenize(text);
    for e in tagger.entities(text, &tokens) {
        assert!(e.start <= e.end && e.end <= text.len());
    }
}

/// Small embeddings trained on a few made-up sentences, with words and n-gram rows pruned so
/// that every section of the format is present.
pub fn small_embed() -> &'static [u8] {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(|| {
        let mut corpus = Corpus::new();
        for _ in 0..3 {
            corpus.add_document("قال محمد علي في الرياض إن الأمم المتحدة تعقد مؤتمرا".split(' '));
            corpus.add_document("زار أحمد جدة و الرياض".split(' '));
        }
        let config = EmbedConfig {
            dim: 4,
            epochs: 1,
            min_count: 1,
            max_words: 8,
            buckets: 64,
            keep_buckets: 40,
            ..EmbedConfig::default()
        };
        let (model, _) = embed::train(&config, &corpus, |_| {}).expect("valid settings");
        model.to_bytes()
    })
}

/// Looks words up in loaded embeddings, as the tagger will: every vector is finite.
pub fn use_embed(emb: &Embeddings) {
    let mut v = vec![0f32; emb.dim()];
    for word in ["الرياض", "والرياضيين", "x", "", "٢٠١٥", &"ب".repeat(100)] {
        let _ = emb.lookup(word, &mut v);
        assert!(v.iter().all(|x| x.is_finite()));
        emb.subword_vector(word, &mut v);
        assert!(v.iter().all(|x| x.is_finite()));
    }
    for id in 0..emb.len().min(8) as u32 {
        emb.word_vector(id, &mut v);
        assert!(v.iter().all(|x| x.is_finite()));
        assert_eq!(emb.id(emb.word(id)), Some(id));
    }
}

/// A small neural NER network (a character CNN, two dilated layers, stacked on perceptron tags)
/// trained for one epoch on the made-up sentences over [`small_embed`].
pub fn small_neural() -> &'static [u8] {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(|| {
        let sentences = small_sentences();
        let emb = Embeddings::from_bytes(small_embed()).expect("valid embeddings");
        let perceptron = NerTagger::from_bytes(small_ner()).expect("valid model");
        let stacked: Vec<_> = sentences
            .iter()
            .map(|s| perceptron.predict(&s.tokens.iter().map(String::as_str).collect::<Vec<_>>()))
            .collect();
        let config = NeuralConfig {
            epochs: 1,
            hidden: 4,
            sparse_dim: 2,
            buckets: 16,
            dilations: vec![1, 2],
            char_dim: 2,
            char_filters: 3,
            ..NeuralConfig::default()
        };
        let featurizer = Featurizer {
            embeddings: &emb,
            gazetteer: &perceptron.resources().gazetteer,
            buckets: config.buckets,
        };
        let net = neural::train(
            &config,
            &sentences,
            Some(&stacked),
            featurizer,
            0,
            |_, _| {},
        )
        .expect("valid settings");
        net.to_bytes().expect("serializable")
    })
}

/// Runs a loaded neural network on top of the small perceptron on a short text.
pub fn use_neural(head: NeuralNer) {
    let perceptron = NerTagger::from_bytes(small_ner()).expect("valid model");
    use_ner(&perceptron.with_neural(std::sync::Arc::new(head)));
}
