//! The embedded NER model: loading, the seed article, keys, robustness and the file format.

use qalam_tagger::linear::{MAGIC, ModelError, ModelKind};
use qalam_tagger::ner::{EntityKind, NerTagger, Tag, chunks};

/// A short quote of ../shared/data/seed/ahram-column-daesh.txt (byline and two sentences).
const EXCERPT: &str = include_str!("fixtures/ner/ahram-excerpt.txt");

fn entities(text: &str) -> Vec<(EntityKind, String, String)> {
    let tokens = qalam_text::tokenize(text);
    NerTagger::embedded()
        .entities(text, &tokens)
        .into_iter()
        .map(|e| {
            assert_eq!(
                &text[e.start..e.end],
                e.text,
                "span must slice the original text"
            );
            (e.kind, e.text, e.key)
        })
        .collect()
}

/// True if no `I-X` follows anything but `B-X` / `I-X`.
fn valid_bio(tags: &[Tag]) -> bool {
    let mut prev = Tag::O;
    for &t in tags {
        if let Tag::I(k) = t
            && prev.kind() != Some(k)
        {
            return false;
        }
        prev = t;
    }
    true
}

#[test]
fn seed_article_excerpt() {
    let found = entities(EXCERPT);
    let has = |kind: EntityKind, text: &str| found.iter().any(|(k, t, _)| *k == kind && t == text);
    assert!(has(EntityKind::Pers, "مكرم محمد أحمد"), "{found:?}");
    assert!(has(EntityKind::Loc, "الرقة"), "{found:?}");
    assert!(has(EntityKind::Loc, "سوريا"), "{found:?}");
    assert!(has(EntityKind::Loc, "الولايات المتحدة"), "{found:?}");
    // Named after ANERcorp was written: found through its SaudiNewsNet type evidence.
    assert!(has(EntityKind::Org, "داعش"), "{found:?}");
    let key = |text: &str| {
        found
            .iter()
            .find(|(_, t, _)| t == text)
            .map(|(_, _, k)| k.clone())
    };
    assert_eq!(key("مكرم محمد أحمد").as_deref(), Some("مكرم محمد احمد"));
    assert_eq!(key("الرقة").as_deref(), Some("الرقه"));
}

#[test]
fn keys_group_spellings_and_clitics() {
    let text = "قال الرئيس السوري بشار الأسد إن سوريا لن تتراجع . وزار الوزير دمشق وسوريا وبغداد .";
    let found = entities(text);
    let syria: Vec<_> = found.iter().filter(|(_, _, k)| k == "سوريا").collect();
    assert!(syria.len() >= 2, "سوريا and وسوريا share a key: {found:?}");
    // The span of وسوريا leaves its و out.
    let tokens = qalam_text::tokenize(text);
    let wa = text.find("وسوريا").unwrap();
    let e = NerTagger::embedded().entities(text, &tokens);
    assert!(
        e.iter()
            .any(|e| (e.start, e.end) == (wa + "و".len(), wa + "وسوريا".len())),
        "{e:?}"
    );
    let tagger = NerTagger::embedded();
    assert_eq!(
        tagger.resources().key(&["البغدادى"]),
        tagger.resources().key(&["البغدادي"])
    );
    assert_eq!(tagger.resources().key(&["والرقة"]), "الرقه");
}

#[test]
fn odd_input_is_tagged_without_panics() {
    let tagger = NerTagger::embedded();
    assert!(tagger.predict(&[]).is_empty());
    let odd = [
        "",
        "\u{200f}",
        "ـــ",
        "😀",
        "x",
        "١٢٣",
        "\u{0651}",
        "a\u{0300}",
        "؟",
        "\u{FEFF}",
    ];
    let tags = tagger.predict(&odd);
    assert_eq!(tags.len(), odd.len());
    assert!(valid_bio(&tags));
    // A very long "sentence" (no breaks): one tag per token, still a valid BIO sequence.
    let words = [
        "قال",
        "محمد",
        "علي",
        "في",
        "القاهرة",
        "إن",
        "الأمم",
        "المتحدة",
        "،",
    ];
    let long: Vec<&str> = words.iter().copied().cycle().take(20_000).collect();
    let tags = tagger.predict(&long);
    assert_eq!(tags.len(), long.len());
    assert!(valid_bio(&tags));
    assert!(!chunks(&tags).is_empty());
    assert!(entities("").is_empty());
    assert!(entities("   \n\n ").is_empty());
}

#[test]
fn documents_match_sentence_lists() {
    let tagger = NerTagger::embedded();
    let s1: Vec<&str> = "وصل الرئيس المصري إلى باريس أمس .".split(' ').collect();
    let s2: Vec<&str> = "والتقى الرئيس الفرنسي في قصر الإليزيه ."
        .split(' ')
        .collect();
    let doc = tagger.predict_document(&[&s1, &s2]);
    assert_eq!(doc.len(), 2);
    assert_eq!(doc, tagger.predict_sentences(&[s1.clone(), s2.clone()]));
    assert!(doc[0].contains(&Tag::B(EntityKind::Loc)), "{doc:?}");
}

#[test]
fn model_bytes_round_trip() {
    let tagger = NerTagger::embedded();
    let bytes = tagger.to_bytes();
    assert_eq!(&bytes[..4], MAGIC);
    assert_eq!(
        u32::from_le_bytes(bytes[4..8].try_into().unwrap()),
        ModelKind::Ner.version()
    );
    assert_eq!(&bytes[8..12], ModelKind::Ner.tag());
    let again = NerTagger::from_bytes(&bytes).unwrap();
    assert_eq!(again.to_bytes(), bytes);
    let words: Vec<&str> = EXCERPT.split_whitespace().collect();
    assert_eq!(again.predict(&words), tagger.predict(&words));
}

#[test]
fn other_versions_and_truncations_are_rejected() {
    let bytes = NerTagger::embedded().to_bytes();
    let mut other = bytes.clone();
    other[4..8].copy_from_slice(&(ModelKind::Ner.version() + 1).to_le_bytes());
    assert!(matches!(
        NerTagger::from_bytes(&other),
        Err(ModelError::Version { .. })
    ));
    assert!(matches!(
        NerTagger::from_bytes(b"QLMX\x03\0\0\0"),
        Err(ModelError::NotAModel)
    ));
    assert!(NerTagger::from_bytes(&bytes[..bytes.len() / 2]).is_err());
    let mut longer = bytes;
    longer.push(0);
    assert!(NerTagger::from_bytes(&longer).is_err());
}

#[test]
fn caller_sentences_give_the_same_entities() {
    let tokens = qalam_text::tokenize(EXCERPT);
    let spans: Vec<qalam_text::Span> = tokens
        .iter()
        .map(|t| qalam_text::Span {
            kind: t.kind,
            start: t.start,
            end: t.end,
        })
        .collect();
    let sentences = qalam_text::SentenceSplitter::default().split(EXCERPT, &spans);
    assert!(sentences.len() > 1);
    let tagger = NerTagger::embedded();
    let own = tagger.entities(EXCERPT, &tokens);
    let given = tagger.entities_with_sentences(EXCERPT, &tokens, &sentences);
    let texts = |v: &[qalam_tagger::ner::Entity]| -> Vec<(EntityKind, String)> {
        v.iter().map(|e| (e.kind, e.text.clone())).collect()
    };
    assert_eq!(texts(&own), texts(&given));
    // No sentences: the whole text is one sentence, and nothing is lost or panics.
    let whole = tagger.entities_with_sentences(EXCERPT, &tokens, &[]);
    assert!(whole.iter().any(|e| e.text == "مكرم محمد أحمد"));
    assert!(tagger.entities_with_sentences("", &[], &[]).is_empty());
}
