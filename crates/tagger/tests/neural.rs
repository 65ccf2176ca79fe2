//! The embedded neural NER network: it loads, reads the embedded perceptron, tags a fixture
//! sentence sensibly, and its file round-trips and rejects damage; small networks with the
//! character CNN and weight averaging train deterministically.

use std::sync::Arc;

use qalam_tagger::embed::Embeddings;
use qalam_tagger::linear::{ModelError, ModelKind};
use qalam_tagger::ner::{EntityKind, LabelledSentence, NerTagger, Tag, chunks};
use qalam_tagger::neural::{self, Featurizer, Inputs, NeuralConfig, NeuralNer, perceptron_digest};

/// A short quote of ../shared/data/seed/ahram-column-daesh.txt (byline and two sentences).
const EXCERPT: &str = include_str!("fixtures/ner/ahram-excerpt.txt");

#[test]
fn embedded_network_reads_the_embedded_perceptron() {
    let head = NeuralNer::embedded();
    assert!(head.matches_perceptron(perceptron_digest(&NerTagger::embedded())));
    assert_eq!(head.net().config.dense_dim, Embeddings::embedded().dim());
}

#[test]
fn fixture_sentences_get_sensible_tags() {
    let tagger = NerTagger::embedded_neural();
    let words: Vec<&str> = "قال الرئيس السوري بشار الأسد في دمشق إن الأمم المتحدة فشلت ."
        .split(' ')
        .collect();
    let tags = tagger.predict(&words);
    assert_eq!(tags.len(), words.len());
    let found: Vec<(EntityKind, String)> = chunks(&tags)
        .into_iter()
        .map(|(a, b, k)| (k, words[a..b].join(" ")))
        .collect();
    assert!(
        found.contains(&(EntityKind::Pers, "بشار الأسد".into())),
        "{found:?}"
    );
    assert!(
        found.contains(&(EntityKind::Loc, "دمشق".into())),
        "{found:?}"
    );
    assert!(
        found.contains(&(EntityKind::Org, "الأمم المتحدة".into())),
        "{found:?}"
    );
    assert_eq!(tags[0], Tag::O);

    let tokens = qalam_text::tokenize(EXCERPT);
    let entities = tagger.entities(EXCERPT, &tokens);
    let has = |kind, text: &str| entities.iter().any(|e| e.kind == kind && e.text == text);
    assert!(has(EntityKind::Pers, "مكرم محمد أحمد"), "{entities:?}");
    assert!(has(EntityKind::Loc, "الرقة"), "{entities:?}");
    assert!(has(EntityKind::Loc, "الولايات المتحدة"), "{entities:?}");
    for e in &entities {
        assert_eq!(&EXCERPT[e.start..e.end], e.text);
    }
}

#[test]
fn documents_and_odd_input_keep_one_valid_tag_per_token() {
    let tagger = NerTagger::embedded_neural();
    let odd = [
        "", "\u{200f}", "😀", "x", "١٢٣", "\u{0651}", "؟", "\u{FEFF}",
    ];
    let tags = tagger.predict(&odd);
    assert_eq!(tags.len(), odd.len());
    assert!(tagger.predict(&[]).is_empty());
    // Longer than one packed row: the document is cut into several forward passes.
    let words = [
        "قال",
        "محمد",
        "علي",
        "في",
        "القاهرة",
        "إن",
        "الأمم",
        "المتحدة",
        ".",
    ];
    let sentence: Vec<&str> = words.to_vec();
    let doc: Vec<&[&str]> = std::iter::repeat_n(sentence.as_slice(), 600).collect();
    let out = tagger.predict_document(&doc);
    assert_eq!(out.len(), 600);
    assert!(
        out.iter().all(|t| t == &out[0]),
        "every copy is tagged alike"
    );
    let mut prev = Tag::O;
    for &t in &out[0] {
        if let Tag::I(k) = t {
            assert_eq!(prev.kind(), Some(k), "valid BIO: {:?}", out[0]);
        }
        prev = t;
    }
}

#[test]
fn network_file_round_trips_and_rejects_damage() {
    let head = NeuralNer::embedded();
    let bytes = head.to_bytes().unwrap();
    assert_eq!(&bytes[8..12], ModelKind::NerNeural.tag());
    let again = NeuralNer::from_bytes(&bytes, Embeddings::embedded()).unwrap();
    assert_eq!(again.to_bytes().unwrap(), bytes);
    let emb = Embeddings::embedded();
    assert!(matches!(
        NeuralNer::from_bytes(&bytes[..bytes.len() - 3], emb.clone()),
        Err(ModelError::Truncated | ModelError::Corrupt(_))
    ));
    let mut extra = bytes.clone();
    extra.push(0);
    assert!(matches!(
        NeuralNer::from_bytes(&extra, emb.clone()),
        Err(ModelError::Corrupt(_))
    ));
    let perceptron = NerTagger::embedded().to_bytes();
    assert!(matches!(
        NeuralNer::from_bytes(&perceptron, emb),
        Err(ModelError::Kind { .. })
    ));
    // The same network over the same perceptron tags alike.
    let words: Vec<&str> = EXCERPT.split_whitespace().collect();
    let a = NerTagger::embedded_neural().predict(&words);
    let b = NerTagger::embedded()
        .without_neural()
        .with_neural(Arc::new(again))
        .predict(&words);
    assert_eq!(a, b);
}

/// A few labelled sentences to train small networks on.
fn small_sentences() -> Vec<LabelledSentence> {
    let sentence = |text: &str, tags: &str| LabelledSentence {
        tokens: text.split(' ').map(String::from).collect(),
        tags: tags.split(' ').map(String::from).collect(),
    };
    vec![
        sentence("قال محمد علي في الرياض", "O B-PERS I-PERS O B-LOC"),
        sentence("أعلنت الأمم المتحدة عن مؤتمر", "O B-ORG I-ORG O B-MISC"),
        sentence("زار أحمد جدة", "O B-PERS B-LOC"),
        sentence("وصل الرئيس إلى القاهرة", "O O O B-LOC"),
    ]
}

/// Trains a small network with the character CNN and weight averaging over the embedded
/// perceptron's tags.
fn train_small(config: &NeuralConfig) -> Vec<u8> {
    let perceptron = NerTagger::embedded();
    let sentences = small_sentences();
    let stacked: Vec<Vec<Tag>> = sentences
        .iter()
        .map(|s| perceptron.predict(&s.tokens.iter().map(String::as_str).collect::<Vec<_>>()))
        .collect();
    let emb = Embeddings::embedded();
    let featurizer = Featurizer {
        embeddings: &emb,
        gazetteer: &perceptron.resources().gazetteer,
        buckets: config.buckets,
    };
    let mut epochs = 0;
    let net = neural::train(
        config,
        &sentences,
        Some(&stacked),
        featurizer,
        perceptron_digest(&perceptron),
        |_, _| epochs += 1,
    )
    .unwrap();
    assert_eq!(epochs, config.epochs);
    net.to_bytes().unwrap()
}

#[test]
fn small_network_with_characters_and_averaging_trains_alike_twice_and_tags() {
    let config = NeuralConfig {
        epochs: 3,
        hidden: 8,
        sparse_dim: 4,
        buckets: 256,
        dilations: vec![1, 2],
        char_dim: 4,
        char_filters: 6,
        average_from: 2,
        ..NeuralConfig::default()
    };
    let bytes = train_small(&config);
    assert_eq!(train_small(&config), bytes, "same seed, same file");
    let other = train_small(&NeuralConfig {
        seed: 7,
        ..config.clone()
    });
    assert_ne!(other, bytes, "another seed, other weights");
    let head = NeuralNer::from_bytes(&bytes, Embeddings::embedded()).unwrap();
    let cnn = head.net().chars.as_ref().expect("a character CNN");
    assert_eq!(cnn.w.dims(), &[12, 6]);
    assert_eq!(head.to_bytes().unwrap(), bytes);
    // Words longer than the CNN's window, odd characters and empty tokens get one tag each,
    // and a sentence is tagged the same alone and packed between others.
    let perceptron = NerTagger::embedded();
    let gazetteer = &perceptron.resources().gazetteer;
    let long = "و".repeat(40);
    let words = ["قال", "محمد", &long, "😀", "", "في", "الرياض"];
    let other = ["زار", "جدة"];
    let tags = |s: &[&str]| vec![Tag::O; s.len()];
    let mut alone = Vec::new();
    head.tag_document(gazetteer, &[&words[..]], &[tags(&words)], &mut alone)
        .unwrap();
    assert_eq!(alone[0].len(), words.len());
    let mut doc = Vec::new();
    let sentences: [&[&str]; 3] = [&other, &words, &other];
    let stacked: Vec<Vec<Tag>> = sentences.iter().map(|s| tags(s)).collect();
    head.tag_document(gazetteer, &sentences, &stacked, &mut doc)
        .unwrap();
    assert_eq!(doc[1], alone[0]);
    // The character CNN folded into tables for tagging computes what the training graph does.
    let net = head.net();
    let featurizer = Featurizer {
        embeddings: &Embeddings::embedded(),
        gazetteer,
        buckets: net.config.buckets,
    };
    let mut inputs = Inputs::default();
    featurizer.push_sentence(&words, Some(&tags(&words)), &mut inputs);
    let mask = vec![1.0; words.len()];
    let tables = net.chars.as_ref().unwrap().tables().unwrap();
    let folded = net.scores(&inputs, &mask, Some(&tables)).unwrap();
    let graph = net.scores(&inputs, &mask, None).unwrap();
    for (a, b) in folded.iter().zip(&graph) {
        assert!((a - b).abs() < 1e-4, "{a} vs {b}");
    }
}
