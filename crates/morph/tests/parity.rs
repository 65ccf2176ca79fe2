//! Parity with the reference stemmers on fixtures/stem/stems.tsv (see scripts/stem_fixtures.py).

use qalam_morph::{isri_stem_into, light_stem_into, snowball_stem_into};

const FIXTURE: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../fixtures/stem/stems.tsv"
));

/// The lowest Snowball agreement with PyStemmer accepted (measured: see `snowball_agreement`).
const SNOWBALL_FLOOR: f64 = 0.9995;

struct Row<'a> {
    word: &'a str,
    lucene: &'a str,
    isri: &'a str,
    pystemmer: &'a str,
}

fn rows() -> Vec<Row<'static>> {
    let mut lines = FIXTURE.lines();
    assert_eq!(lines.next(), Some("word\tlucene\tisri\tpystemmer"));
    let rows: Vec<Row> = lines
        .map(|line| {
            let f: Vec<&str> = line.split('\t').collect();
            assert_eq!(f.len(), 4, "bad fixture line {line:?}");
            Row {
                word: f[0],
                lucene: f[1],
                isri: f[2],
                pystemmer: f[3],
            }
        })
        .collect();
    assert!(rows.len() >= 50_000, "fixture has only {} rows", rows.len());
    rows
}

/// Returns the rows where `stem` disagrees with `expected`, as (word, expected, got).
fn mismatches(
    rows: &[Row<'static>],
    expected: impl Fn(&Row<'static>) -> &'static str,
    stem: impl Fn(&str, &mut String),
) -> Vec<(&'static str, &'static str, String)> {
    let mut buf = String::new();
    let mut bad = Vec::new();
    for row in rows {
        stem(row.word, &mut buf);
        if buf != expected(row) {
            bad.push((row.word, expected(row), buf.clone()));
        }
    }
    bad
}

/// Fails with the first mismatches unless `stem` reproduces `expected` on every row.
fn assert_parity(
    expected: impl Fn(&Row<'static>) -> &'static str,
    stem: impl Fn(&str, &mut String),
) {
    let bad = mismatches(&rows(), expected, stem);
    let first = &bad[..bad.len().min(20)];
    assert!(bad.is_empty(), "{} mismatches, first: {first:?}", bad.len());
}

#[test]
fn light_matches_lucene() {
    assert_parity(|r| r.lucene, light_stem_into);
}

#[test]
fn isri_matches_nltk() {
    assert_parity(|r| r.isri, isri_stem_into);
}

#[test]
fn snowball_agreement() {
    let rows = rows();
    let bad = mismatches(&rows, |r| r.pystemmer, snowball_stem_into);
    let agree = 1.0 - bad.len() as f64 / rows.len() as f64;
    println!(
        "snowball vs PyStemmer: {}/{} agree ({:.2}%)",
        rows.len() - bad.len(),
        rows.len(),
        100.0 * agree
    );
    for (word, want, got) in bad.iter().take(10) {
        println!("  {word}\tpystemmer={want}\trust-stemmers={got}");
    }
    assert!(
        agree >= SNOWBALL_FLOOR,
        "agreement {agree:.4} below {SNOWBALL_FLOOR}"
    );
}
