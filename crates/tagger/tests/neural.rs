//! The embedded neural NER network: it loads, reads the embedded perceptron, tags a fixture
//! sentence sensibly, and its file round-trips and rejects damage.

use std::sync::Arc;

use qalam_tagger::embed::Embeddings;
use qalam_tagger::linear::{ModelError, ModelKind};
use qalam_tagger::ner::{EntityKind, NerTagger, Tag, chunks};
use qalam_tagger::neural::{NeuralNer, perceptron_digest};

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
