//! SaudiNewsNet's real layout: a zip holding one pretty-printed JSON array.

use std::path::{Path, PathBuf};

use qalam_corpus::{CorpusError, content_id, read_inputs};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/saudinewsnet-sample.zip")
}

#[test]
fn sample_zip_reads_records_and_reports_blank_one() {
    let results: Vec<_> = read_inputs([fixture()]).collect();
    assert_eq!(results.len(), 3);
    let doc = results[0].as_ref().unwrap();
    assert_eq!(doc.source.as_deref(), Some("aawsat"));
    assert_eq!(doc.date.as_deref(), Some("2015-07-21 02:52:21"));
    assert_eq!(doc.author.as_deref(), Some("جدة: «الشرق الأوسط أونلاين»"));
    assert_eq!(
        doc.title.as_deref(),
        Some("رئيس جمهورية الشيشان يصل إلى جدة لأداء مناسك العمرة")
    );
    assert!(doc.body.starts_with("وصل الرئيس رمضان أحمد قاديروف"));
    assert!(
        doc.url
            .as_deref()
            .unwrap()
            .starts_with("http://aawsat.com/home/article/410821/")
    );
    assert!(doc.extra.is_empty());
    assert_eq!(doc.id, content_id(doc.title.as_deref(), &doc.body));
    assert_eq!(doc.origin.member.as_deref(), Some("2015-07-21.json"));
    assert_eq!((doc.origin.record, doc.origin.line), (Some(1), Some(2)));

    let second = results[1].as_ref().unwrap();
    assert!(
        second.body.contains("\n\n وقال الاتحاد"),
        "escapes are decoded, spacing kept"
    );
    assert_eq!(
        (second.origin.record, second.origin.line),
        (Some(2), Some(10))
    );

    let err = results[2].as_ref().unwrap_err();
    assert!(matches!(err.kind(), CorpusError::BlankRecord));
    assert!(err.is_record_error());
    let shown = err.to_string();
    assert!(
        shown.ends_with(
            "saudinewsnet-sample.zip: 2015-07-21.json: record 3 (line 18): record is blank (no title and no text)"
        ),
        "{shown}"
    );
}

/// The whole corpus, from `../shared/data` (not in a fresh clone, hence ignored by default):
/// `cargo test --release -p qalam-corpus --test saudinewsnet -- --ignored`
#[test]
#[ignore = "needs ../shared/data/saudinewsnet"]
fn full_corpus_has_31030_records() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/saudinewsnet");
    let (mut docs, mut record_errors) = (0, 0);
    for result in read_inputs([dir]) {
        match result {
            Ok(_) => docs += 1,
            Err(err) if err.is_record_error() => record_errors += 1,
            Err(err) => panic!("{err}"),
        }
    }
    assert_eq!(docs + record_errors, 31_030);
    assert_eq!(record_errors, 57, "records with blank title and content");
}
