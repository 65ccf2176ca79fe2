//! `conlleval` parity: every fixture's report must equal what conlleval.pl printed for it
//! (fixtures written by scripts/conlleval_fixtures.py).

use std::path::Path;

use qalam_tagger::ner::conlleval;

fn fixture(name: &str) -> (Vec<Vec<String>>, Vec<Vec<String>>, String) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/conlleval");
    let text = std::fs::read_to_string(dir.join(format!("{name}.txt"))).unwrap();
    let expected = std::fs::read_to_string(dir.join(format!("{name}.out"))).unwrap();
    let (mut gold, mut pred) = (vec![Vec::new()], vec![Vec::new()]);
    for line in text.lines() {
        let fields: Vec<&str> = line.split(' ').collect();
        if line.is_empty() {
            gold.push(Vec::new());
            pred.push(Vec::new());
            continue;
        }
        gold.last_mut().unwrap().push(fields[1].to_string());
        pred.last_mut().unwrap().push(fields[2].to_string());
    }
    (gold, pred, expected)
}

fn check(name: &str) {
    let (gold, pred, expected) = fixture(name);
    let report = conlleval(&gold, &pred);
    assert_eq!(report.to_string(), expected, "fixture {name}");
}

#[test]
fn basic() {
    check("basic");
}

#[test]
fn inside_after_outside_starts_a_chunk() {
    check("inside_starts");
}

#[test]
fn type_change_splits_a_chunk() {
    check("type_change");
}

#[test]
fn chunks_end_at_sentence_boundaries() {
    check("boundaries");
}

#[test]
fn empty_prediction_and_empty_gold() {
    check("empty_sides");
}

#[test]
fn random_cases_match_conlleval() {
    check("random_small");
    check("random_large");
}

#[test]
fn counts_of_a_hand_checked_case() {
    // Gold: [a b]PERS [d]LOC ; pred: [a b]PERS [d]ORG [f]MISC (sentence 2: gold [e]ORG [g]LOC).
    let (gold, pred, _) = fixture("basic");
    let r = conlleval(&gold, &pred);
    assert_eq!((r.total.gold, r.total.found, r.total.correct), (4, 4, 2));
    assert_eq!(r.of("PERS").correct, 1);
    assert_eq!(r.of("ORG").gold, 1);
    assert_eq!(r.of("ORG").found, 1);
    assert_eq!(r.of("ORG").correct, 0);
    assert!((r.f1() - 50.0).abs() < 1e-9);
}
