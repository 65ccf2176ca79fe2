//! Every name a reader sees in the seed article (`fixtures/ner/seed-names.tsv`) is found by the
//! pipeline, at every mention, with the right type, span and key.

use qalam_analysis::{EntityKind, Pipeline};
use qalam_text::{Profile, normalize_str};

const ARTICLE: &str = include_str!("../../../fixtures/seed/ahram-column-daesh.txt");
const NAMES: &str = include_str!("../../../fixtures/ner/seed-names.tsv");

struct Name {
    kind: EntityKind,
    name: &'static str,
    longer: Vec<&'static str>,
}

fn names() -> Vec<Name> {
    NAMES
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            assert!(cols.len() == 3, "{l:?}");
            Name {
                kind: cols[0].parse().unwrap(),
                name: cols[1],
                longer: cols[2].split(',').filter(|s| !s.is_empty()).collect(),
            }
        })
        .collect()
}

fn is_letter(c: char) -> bool {
    c.is_alphanumeric() || qalam_text::chars::is_diacritic(c)
}

/// Byte ranges of `needle` in the article as a whole word or words, after proclitics at most.
fn mentions(needle: &str) -> Vec<(usize, usize)> {
    ARTICLE
        .match_indices(needle)
        .map(|(s, _)| (s, s + needle.len()))
        .filter(|&(s, e)| {
            let before: String = ARTICLE[..s]
                .chars()
                .rev()
                .take_while(|&c| is_letter(c))
                .collect();
            let after_ok = !ARTICLE[e..].chars().next().is_some_and(is_letter);
            let clitics_ok = before.chars().count() <= 2
                && before
                    .chars()
                    .all(|c| matches!(c, 'و' | 'ف' | 'ب' | 'ل' | 'ك'));
            after_ok && clitics_ok
        })
        .collect()
}

#[test]
fn every_name_of_the_seed_article_is_found_with_its_type() {
    let names = names();
    assert!(names.len() >= 20);
    let analysis = Pipeline::default().analyze(ARTICLE);
    let mut expected = 0;
    let mut misses = Vec::new();
    for n in &names {
        // Mentions inside another listed name (سوريا in قوات سوريا الديمقراطية) are that name's.
        let others: Vec<(usize, usize)> = names
            .iter()
            .filter(|o| o.name != n.name && o.name.contains(n.name))
            .flat_map(|o| mentions(o.name))
            .collect();
        let longer: Vec<(usize, usize)> = n.longer.iter().flat_map(|l| mentions(l)).collect();
        let key = normalize_str(n.name, Profile::Search);
        let found = mentions(n.name);
        assert!(!found.is_empty(), "{} is not in the article", n.name);
        for (s, e) in found {
            if others.iter().any(|&(a, b)| a <= s && e <= b) {
                continue;
            }
            expected += 1;
            let ok = analysis.entities.iter().any(|x| {
                x.kind == n.kind
                    && (((x.start, x.end) == (s, e) && x.key == key)
                        || longer
                            .iter()
                            .any(|&(a, b)| (x.start, x.end) == (a, b) && a <= s && e <= b))
            });
            if !ok {
                let there: Vec<_> = analysis
                    .entities
                    .iter()
                    .filter(|x| x.start < e && x.end > s)
                    .map(|x| (x.kind, x.text.as_str(), x.key.as_str()))
                    .collect();
                misses.push(format!("{} {} at {s}: found {there:?}", n.kind, n.name));
            }
        }
    }
    assert!(expected >= 50, "{expected}");
    assert!(misses.is_empty(), "{}", misses.join("\n"));
}
